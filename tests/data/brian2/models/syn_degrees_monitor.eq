# StateMonitor of N_incoming and N_outgoing, per synapse (the count of the synapse's target
# or source), on synapses built by two connect calls (the counts change after the second
# call), recorded together with an ordinary synaptic variable.
G = NeuronGroup(4, 'v : 1')
H = NeuronGroup(3, 'v : 1')
S = Synapses(G, H, 'w : 1')
S.connect('i >= j')
S.connect(i=0, j=2)
S.w = 'i + 10*j'
M = StateMonitor(S, ['N_incoming', 'N_outgoing', 'w'], record=True)
run(0.3*ms)

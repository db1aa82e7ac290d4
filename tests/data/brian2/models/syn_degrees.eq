# N_incoming / N_outgoing / N in synaptic code, updated after every connect call.
# First connect: 'i >= j' from 4 sources to 3 targets, in-degrees [4, 3, 2], out-degrees
# [1, 2, 3, 3]; w = 1/N_incoming is set now. Second connect adds 0 -> 2 (w = 0, a new synapse),
# so afterwards in-degrees are [4, 3, 3], out-degrees [2, 2, 3, 3] and N = 10.
inp = SpikeGeneratorGroup(4, [0, 1, 2, 3, 1], [1, 2, 3, 4, 6]*ms)
G = NeuronGroup(3, 'v : 1')
S = Synapses(inp, G, '''
w : 1
d : 1
r = 0.001*N_outgoing : 1
dx/dt = N_incoming/ms : 1 (clock-driven)
''', on_pre='v_post += w + r')
S.connect('i >= j')
S.w = '1.0/N_incoming'
S.connect(i=0, j=2)
S.d = 'N_outgoing + 10*N_incoming + 100*N'
# Subgroups: N_incoming/N_outgoing count the synapses of this Synapses object onto each neuron
# of the subgroup.
H = NeuronGroup(5, 'u : 1')
S2 = Synapses(H[1:4], H[2:5], 'c : 1')
S2.connect('i != j')
S2.connect(i=[0, 0], j=[0, 1])
S2.c = 'N_incoming + 10*N_outgoing'
M = StateMonitor(G, 'v', record=True)
Ms = StateMonitor(S, ['w', 'd', 'x'], record=True)
Ms2 = StateMonitor(S2, 'c', record=True)
run(8*ms)

# A StateMonitor of synapses recording their neurons' variables (x_post, v_pre), between
# subgroups, next to a synaptic variable: each synapse sees its own target's / source's value.
G = NeuronGroup(6, '''
dv/dt = (1 + 0.2*i - v/mV)*mV/(5*ms) : volt
''', threshold='v > 0.9*mV', reset='v = 0*mV', method='exact')
H = NeuronGroup(4, 'x : 1')
S = Synapses(G[3:], H[1:3], 'w : 1', on_pre='x_post += 1 + i*10 + j*100')
S.connect(j='i % 2')
S.w = 'i + 0.5*j'
MS = StateMonitor(S, ['x_post', 'v_pre', 'w'], record=True)
run(8*ms)

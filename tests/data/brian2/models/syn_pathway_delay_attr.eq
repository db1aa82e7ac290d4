# S.pre.delay, Brian2's delay of the pathway 'pre', is S.delay: set per synapse from a string
# next to two named pathways with their own delays, and S.pre.delay[...] with a condition.
inp = SpikeGeneratorGroup(4, [0, 1, 2, 3, 0, 2], [1, 1.5, 2, 2.5, 7, 7.05]*ms)
G = NeuronGroup(3, '''dv/dt = -v/(5*ms) : 1
du/dt = -u/(3*ms) : 1
''', threshold='v + u > 1.2', reset='v = 0; u = 0', method='exact', refractory=1*ms)
S = Synapses(inp, G, 'w : 1', on_pre={'pre': 'v += w', 'fast': 'u += 0.5*w', 'slow': 'u -= 0.1*w'},
   delay={'fast': 0.25*ms, 'slow': 3.33*ms})
S.connect(p=1)
S.w = '0.3 + 0.2*((i + j) % 3)'
S.pre.delay = '(i*0.4 + j*0.17)*ms'
S.pre.delay['i == 3'] = 0.2*ms
M = StateMonitor(G, ['v', 'u'], record=True)
SP = SpikeMonitor(G)
run(15*ms)

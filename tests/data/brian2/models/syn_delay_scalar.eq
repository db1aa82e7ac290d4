# A delay given to Synapses(delay=...) as one value is one shared value: S.delay = 2.5*ms sets it
# again (before the first run and between runs).
inp = SpikeGeneratorGroup(2, [0, 1, 0, 1], [1, 2, 9, 10]*ms)
G = NeuronGroup(2, 'dv/dt = -v/(5*ms) : 1', method='exact')
S = Synapses(inp, G, on_pre='v_post += 1', delay=1*ms)
S.connect(j='i')
S.delay = 2.5*ms
M = StateMonitor(G, 'v', record=True)
run(8*ms)
S.delay = 0.5*ms
run(6*ms)

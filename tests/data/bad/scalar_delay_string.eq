inp = SpikeGeneratorGroup(2, [0, 1], [1, 2]*ms)
G = NeuronGroup(2, 'v : 1')
S = Synapses(inp, G, on_pre='v_post += 1', delay=1*ms)
S.connect(j='i')
S.delay = 'i*ms'
run(1*ms)

# A synaptic pathway stores infinity (1/0) into the target at the spike at 2 ms.
inp = SpikeGeneratorGroup(1, [0], [2]*ms)
G = NeuronGroup(2, '''v : 1
z : 1''')
S = Synapses(inp, G, on_pre='v_post = 1/z_post')
S.connect(j='1')
run(5*ms)

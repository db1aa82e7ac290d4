G = NeuronGroup(4, 'v : 1')
G.v[0, 2] = 1
run(0.1*ms)

G = NeuronGroup(10, 'v : 1')
S = Synapses(G, G, 'w : 1')
S.connect(i=[0, 1], j=[1, 2])
run(0*ms)

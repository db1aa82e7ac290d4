G = NeuronGroup(4000000, 'v : 1')
H = NeuronGroup(2500000, 'v : 1')
S = Synapses(G, H, 'w : 1')
S.connect(p=1)

P = NeuronGroup(4, 'x : 1', threshold='x > 0')
Q = NeuronGroup(3, 'v : 1')
S = Synapses(P, Q)
S.connect(i=[0, 1], j=[1, 2], p='0.5')

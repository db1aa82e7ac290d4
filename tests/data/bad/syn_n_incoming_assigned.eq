P = NeuronGroup(4, 'x : 1', threshold='x > 0')
Q = NeuronGroup(3, 'v : 1')
S = Synapses(P, Q, 'w : 1')
S.connect()
S.N_incoming = 3

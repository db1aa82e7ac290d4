P = NeuronGroup(4, 'x : 1', threshold='x > 0')
Q = NeuronGroup(3, 'v : 1')
Q.v = 'N_incoming'

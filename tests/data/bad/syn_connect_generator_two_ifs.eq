P = NeuronGroup(4, 'x : 1', threshold='x > 0')
Q = NeuronGroup(3, 'v : 1')
S = Synapses(P, Q)
S.connect(j='i if i < 3 if i > 0', skip_if_invalid=True)

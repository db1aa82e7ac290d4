# Synaptic variables indexed by [i, j] (presynaptic, postsynaptic neuron), each an integer, an
# array or a slice over the source and target (sub)groups. Brian2 takes integers literally for a
# whole group (-1 and 7 match no neuron of G) and like numpy for a subgroup (-1 is its last
# neuron; an index out of range makes that side match nothing).
G = NeuronGroup(6, 'v : 1')
S = Synapses(G, G, 'w : 1')
S.connect(condition='i != j and j < 4')
S.w = 1
S.w[0, 1] = 5
S.w[2, 3] = 7
S.w[4, :] = 9
S.w[:, 2] = 'w + 0.5'
S.w[[0, 1], 1:3] = 3
S.w[-1, 0] = 11
S.w[7, 0] = 12
S.w[1:5:2, [0, 3]] = 'w*100'
S2 = Synapses(G[1:5], G[2:6], 'w : 1')
S2.connect()
S2.w = 'i + 10*j'
S2.w[0, 0] = -1
S2.w[3, -1] = -2
S2.w[1, :] = -3
S2.w[[0, 9], 1] = 99
MS = StateMonitor(S, 'w', record=True)
MS2 = StateMonitor(S2, 'w', record=True)
run(0.1*ms)

N = 10**30
G = NeuronGroup(N, 'v : 1')

G = NeuronGroup(3, 'v : 1')
G.v['i > 0'] = [1, 2]

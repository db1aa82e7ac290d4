G = NeuronGroup(10**12, 'v : 1')

G = NeuronGroup(10**11, 'v : 1')

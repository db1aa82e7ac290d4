G = NeuronGroup(2, 'v : 1', events={'spike': 'v > 1'})

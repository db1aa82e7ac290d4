G = NeuronGroup(10)

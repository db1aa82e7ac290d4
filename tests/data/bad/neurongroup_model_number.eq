G = NeuronGroup(3, 42)

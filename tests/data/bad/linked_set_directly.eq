G2 = NeuronGroup(3, 'u : 1 (linked)')
G2.u = 0.5

G1 = NeuronGroup(3, 'v : volt')
G2 = NeuronGroup(3, 'u : 1 (linked)')
G2.u = linked_var(G1, 'v')

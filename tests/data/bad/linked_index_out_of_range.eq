src = NeuronGroup(3, 'v : 1')
G = NeuronGroup(2, 'x : 1 (linked)')
G.x = linked_var(src, 'v', index=[0, 3])

src = NeuronGroup(3, 'v : 1')
G = NeuronGroup(2, 'x : 1 (linked)', threshold='True', reset='x = 0')
G.x = linked_var(src, 'v', index=[0, 2])
run(1*ms)

G1 = NeuronGroup(3, 'v : 1')
G2 = NeuronGroup(3, 'u : 1 (linked)')
run(1*ms)

tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tauu : 1')
run(1*ms)

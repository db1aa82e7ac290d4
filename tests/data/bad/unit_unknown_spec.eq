tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : furlong')
run(1*ms)

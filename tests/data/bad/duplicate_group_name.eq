tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : 1', name='n')
H = NeuronGroup(1, 'dv/dt = -v/tau : 1', name='n')
run(1*ms)

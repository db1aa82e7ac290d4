tau = 10*ms
G = NeuronGroup(2.5, 'dv/dt = -v/tau : 1')

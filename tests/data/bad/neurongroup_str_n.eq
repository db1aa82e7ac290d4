tau = 10*ms
G = NeuronGroup('x', 'dv/dt = -v/tau : 1')

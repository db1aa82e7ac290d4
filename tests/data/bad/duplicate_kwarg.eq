tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : 1', method='exact', method='euler')

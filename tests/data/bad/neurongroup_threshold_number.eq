tau = 10*ms
G = NeuronGroup(3, 'dv/dt = -v/tau : 1', threshold=1)

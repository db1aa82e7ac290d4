tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : volt')
G.v = 5*ms

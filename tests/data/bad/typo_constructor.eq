tau = 10*ms
G = NeuronGrup(1, 'dv/dt = -v/tau : 1')

tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v**3/tau : 1', method='linear')
run(1*ms)

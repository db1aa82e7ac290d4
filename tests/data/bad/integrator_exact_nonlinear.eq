tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v**2/tau : 1', method='exact')
run(1*ms)

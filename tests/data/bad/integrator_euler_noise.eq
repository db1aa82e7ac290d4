tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau + v*xi*tau**-0.5 : 1', method='euler')
run(1*ms)

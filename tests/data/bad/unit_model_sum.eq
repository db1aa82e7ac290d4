tau = 10*ms
G = NeuronGroup(1, 'dv/dt = (-v + 1*mV)/tau : 1')
run(1*ms)

tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : volts')
run(1*ms)

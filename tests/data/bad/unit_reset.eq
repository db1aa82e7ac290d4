tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : volt', threshold='v > 1*mV', reset='v = 5*ms')
run(1*ms)

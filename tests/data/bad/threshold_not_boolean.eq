tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : 1', threshold='v + 1')
run(1*ms)

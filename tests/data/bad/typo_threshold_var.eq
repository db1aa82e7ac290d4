tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : 1', threshold='vv > 1', reset='v = 0')
run(1*ms)

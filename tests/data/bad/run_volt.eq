tau = 10*ms
G = NeuronGroup(10, 'dv/dt = -v/tau : 1', threshold='v>1', reset='v=0', method='exact')
run(5*mV)

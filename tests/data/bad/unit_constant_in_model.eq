El = 5*ms
tau = 10*ms
G = NeuronGroup(1, 'dv/dt = (El - v)/tau : volt')
run(1*ms)

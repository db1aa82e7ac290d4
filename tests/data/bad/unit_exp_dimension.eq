tau = 10*ms
G = NeuronGroup(1, 'dv/dt = exp(v)/tau : volt')
run(1*ms)

tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v : volt')
G.v = 1*mV
run(1*ms)

tau = 10*ms
G = NeuronGroup(2, 'dv/dt = 1.0/0.0/tau : 1', method='euler')
M = StateMonitor(G, 'v', record=True)
run(1*ms)

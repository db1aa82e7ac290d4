tau = 10*ms
G = NeuronGroup(3, 'dv/dt = v/(0.01*ms) : 1', method='euler')
G.v = 'i'
M = StateMonitor(G, 'v', record=True)
run(100*ms)

G = NeuronGroup(1000000, 'dv/dt = -v/(10*ms) : 1', method='exact')
M = StateMonitor(G, 'v', record=True)
run(1000*second)

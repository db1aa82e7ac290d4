G = NeuronGroup(3, 'dv/dt = 1/(5*ms) : 1', threshold='v > 1', reset='v = 0', method='euler')
M = SpikeMonitor(G, variables=['v', 'vv'])
run(1*ms)

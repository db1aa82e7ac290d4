G = NeuronGroup(2, 'dv/dt = -v/(10*ms) : 1')
M = StateMonitor(G, 'v', record=True, when='middle')

G = NeuronGroup(2, '''dv/dt = -v/(10*ms) : 1
                      x = 2*v : 1''', dt=0.2*ms)
M = StateMonitor(G, 'x', record=True, dt=0.5*ms)

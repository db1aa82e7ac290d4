G = NeuronGroup(2, 'dv/dt = -v/(10*ms) : 1', dt=0.2*ms)
G.run_regularly('v = 0', dt=0.3*ms)

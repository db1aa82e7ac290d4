G = NeuronGroup(2, 'dv/dt = -v/(10*ms) : 1', dt=1*ms, clock=defaultclock)

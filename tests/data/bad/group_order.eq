G = NeuronGroup(2, 'dv/dt = -v/(10*ms) : 1', order=0.5)

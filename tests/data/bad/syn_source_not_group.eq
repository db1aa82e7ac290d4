tau = 10*ms
S = Synapses(3, 4, on_pre='v += 1')

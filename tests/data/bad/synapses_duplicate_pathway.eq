G = NeuronGroup(2, 'dv/dt = -v/(10*ms) : 1', threshold='v > 1')
S = Synapses(G, G, on_pre={'a': 'v += 1'}, on_post={'a': 'v -= 1'})

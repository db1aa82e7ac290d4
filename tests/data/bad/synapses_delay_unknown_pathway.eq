G = NeuronGroup(2, 'dv/dt = -v/(10*ms) : 1', threshold='v > 1')
S = Synapses(G, G, on_pre={'pre': 'v += 1'}, delay={'pre3': 1*ms})

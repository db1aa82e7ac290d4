G = NeuronGroup(2, 'v : 1', events={'up': 'v > 1'})
S = Synapses(G, G, on_pre='v += 1', on_event='down')

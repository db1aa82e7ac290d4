tau = 10*ms
G = NeuronGroup(10, 'dv/dt = -v/tau : 1', threshold='v>1', reset='v=0', method='exact')
S = Synapses(G, G, on_pre='v += 0.1')
S.connect('i != j', p=-0.5)

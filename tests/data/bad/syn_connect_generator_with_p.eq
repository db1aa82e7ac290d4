tau = 10*ms
G = NeuronGroup(10, 'dv/dt = -v/tau : 1', threshold='v>1', reset='v=0', method='exact')
S = Synapses(G, G, on_pre='v += 0.1')
S.connect(j='k for k in range(i-1, i+2)', p=0.5)

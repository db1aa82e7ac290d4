tau = 10*ms
G = NeuronGroup(10, 'dv/dt = -v/tau : 1', threshold='v>1', reset='v=0', method='exact')
S = Synapses(G, G, on_pre='v += 0.1')
S.connect(i=[0, 12], j=[1, 2])
run(1*ms)

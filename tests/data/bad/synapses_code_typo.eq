tau = 10*ms
G = NeuronGroup(10, 'dv/dt = -v/tau : 1', threshold='v>1', reset='v=0', method='exact')
S = Synapses(G, G, 'w : 1', on_pre='v_post += ww')
S.connect()
run(1*ms)

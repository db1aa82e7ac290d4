tau = 10*ms
G = NeuronGroup(2, 'dv/dt = -v/tau : volt', threshold='v>1*mV', reset='v=0*mV')
S = Synapses(G, G, on_pre='v_post += 1')
S.connect()
run(1*ms)

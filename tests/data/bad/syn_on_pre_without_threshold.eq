tau = 10*ms
G = NeuronGroup(2, 'dv/dt = -v/tau : 1')
S = Synapses(G, G, on_pre='v += 1')
S.connect()
run(1*ms)

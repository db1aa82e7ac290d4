P = NeuronGroup(2, 'dv/dt = (2 - v)/(5*ms) : 1', threshold='v > 1')
S = Synapses(P, P, 'G : 1 (linked)', on_pre='v_post += G')
S.connect()
run(1*ms)

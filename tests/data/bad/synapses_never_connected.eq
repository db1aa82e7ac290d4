G = NeuronGroup(2, 'v : 1', threshold='v > 1')
S = Synapses(G, G, 'w : 1', on_pre='v_post += w')
run(1*ms)

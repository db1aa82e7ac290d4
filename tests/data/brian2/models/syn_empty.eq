# Synapses whose connect created none: values can still be set (nothing happens), the pathways
# never fire, and a StateMonitor of them records no columns.
G = NeuronGroup(3, 'dv/dt = 1/ms : 1', threshold='v > 1', reset='v = 0', method='euler')
S = Synapses(G, G, 'w : 1', on_pre='v_post += w')
S.connect(p=0)
S.w = 0.5
S.w = 'w + rand()'
S2 = Synapses(G, G, 'w : 1', on_pre='v_post += w')
S2.connect('i > 5')
S2.w = 2
M = StateMonitor(S, 'w', record=True)
MG = StateMonitor(G, 'v', record=True)
run(3*ms)

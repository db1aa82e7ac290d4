G = NeuronGroup(2, '''dv/dt = -v/(10*ms) : 1
x : 1''', threshold='v > 1', reset='v = 0')
H = NeuronGroup(2, 'dv/dt = -v/(10*ms) : 1')
S = Synapses(G, H, 'w : 1', on_pre='v += w*x')
S.connect()
run(1*ms)

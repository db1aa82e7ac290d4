# (constant over dt) subexpressions of Synapses: stored per synapse at the start of each step
# (before_start), read by on_pre, by a clock-driven equation and by a StateMonitor; they may use
# t, i, j and presynaptic variables.
G = NeuronGroup(3, 'dv/dt = (i + 1)/(2*ms) : 1', threshold='v > 1', reset='v = 0', method='euler')
H = NeuronGroup(2, 'y : 1')
S = Synapses(G, H, '''
z = 0.5 + 0.1*i + 0.01*j + t/second + 0.1*v_pre : 1 (constant over dt)
dg/dt = (z - g)/(2*ms) : 1 (clock-driven)
''', on_pre='y_post += z', method='euler')
S.connect()
MS = StateMonitor(S, ['z', 'g'], record=True)
MH = StateMonitor(H, 'y', record=True)
run(5*ms)

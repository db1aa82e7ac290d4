# Synapses.run_regularly: code over all synapses on the synapses' clock or its own dt, reading
# presynaptic and postsynaptic variables, i and j, and writing synaptic variables, a shared one
# once per call (as for groups).
P = NeuronGroup(3, 'dx/dt = (i + 1)/ms : 1', method='euler')
Q = NeuronGroup(2, '''
dv/dt = (g - v)/(2*ms) : 1
g : 1
''', method='exact')
S = Synapses(P, Q, '''
w : 1
c : 1 (shared)
d : 1
g_post = w*x_pre : 1 (summed)
''')
S.connect()
S.w = 'i + 10*j'
S.run_regularly('w = clip(w*0.9 + 0.01*v_post, 0, 20)', dt=0.3*ms)
S.run_regularly('''
c = c + 1
d = d + c*(i + 1) - j
''', when='end')
M = StateMonitor(S, ['w', 'c', 'd'], record=True)
MQ = StateMonitor(Q, ['v', 'g'], record=True)
run(1*ms)

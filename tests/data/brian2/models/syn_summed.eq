# Summed variables: y_post = sum over the synapses of each target of w*x_pre.
# Static case: x_pre = [1, 2, 3], w = i + 10*j, full connectivity 3 -> 2 -> y = [8, 68]
# (value appears from the second recorded sample: monitors record at the start of a step,
# the summed update runs later in the step).
P = NeuronGroup(3, 'x : 1')
P.x = [1, 2, 3]
Q = NeuronGroup(2, 'y : 1')
S = Synapses(P, Q, '''
w : 1
y_post = w*x_pre : 1 (summed)
''')
S.connect()
S.w = 'i + 10*j'
My = StateMonitor(Q, 'y', record=True)

# Dynamic case (no method given for P2: Brian2's 'exact' cannot solve dx/dt = const and its
# automatic choice falls back to 'euler', which is exact here): x grows linearly in time, the target integrates its summed input, and a
# second summed variable goes to the presynaptic side (z_pre = sum of outgoing w).
P2 = NeuronGroup(3, '''
dx/dt = (i + 1)/(10*ms) : 1
z : 1
''')
Q2 = NeuronGroup(2, '''
dv/dt = (y - v)/(2*ms) : 1
y : 1
''', method='exact')
S2 = Synapses(P2, Q2, '''
w : 1
y_post = w*x_pre : 1 (summed)
z_pre = w : 1 (summed)
''')
S2.connect('i != j')
S2.w = 'i + 10*j'
Mx2 = StateMonitor(P2, ['x', 'z'], record=True)
Mq2 = StateMonitor(Q2, ['y', 'v'], record=True)
run(2*ms)

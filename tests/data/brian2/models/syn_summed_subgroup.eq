# Summed variables into subgroups: Brian2 runs a summed-variable updater at its target's order
# minus one, and a subgroup's order is its group's plus one, so into a subgroup the updater runs
# at the group's own order, after the group's state updater (names sort 'neurongroup_1_...' <
# 'synapses_...'), and a StateMonitor sees its value one step later than into a whole group.
# Also a `_pre` summed variable into a subgroup of the source, and one into a whole group.
P = NeuronGroup(3, '''
dx/dt = (i+1)/ms : 1
z : 1
''', method='euler')
Q = NeuronGroup(5, '''
dv/dt = (y - v)/(2*ms) : 1
y : 1
''', method='exact')
S1 = Synapses(P, Q[:2], 'w : 1\ny_post = w*x_pre : 1 (summed)')
S1.connect()
S1.w = 'i + 10*j'
S2 = Synapses(P, Q[2:], 'w : 1\ny_post = -w*x_pre : 1 (summed)')
S2.connect(j='k for k in range(N_post) if k != i')
S2.w = 'i + 10*j'
S3 = Synapses(P[1:], Q, 'w : 1\nz_pre = w*v_post : 1 (summed)')
S3.connect()
S3.w = 'j + 1'
R = NeuronGroup(2, '''
du/dt = (s - u)/ms : 1
s : 1
''', method='exact')
S4 = Synapses(P, R, 'w : 1\ns_post = w*x_pre : 1 (summed)')
S4.connect()
S4.w = 'i + 1'
M = StateMonitor(Q, ['v', 'y'], record=True)
MP = StateMonitor(P, ['x', 'z'], record=True)
MR = StateMonitor(R, ['u', 's'], record=True)
run(1*ms)

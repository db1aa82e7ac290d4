# A two-dimensional TimedArray in a Synapses model: i is the presynaptic and j the
# postsynaptic index (gathered through pre/post), summed onto the target every step.
ta = TimedArray([[1, 2, 3], [4, 5, 6]]*mV, dt=0.5*ms)
P = NeuronGroup(3, 'x : 1')
Q = NeuronGroup(2, 'y : volt')
S = Synapses(P, Q, '''
y_post = ta(t, i)*(j + 1) + ta(t, 2 - j) : volt (summed)
''')
S.connect()
M = StateMonitor(Q, 'y', record=True)
run(1*ms)

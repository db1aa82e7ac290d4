ta = TimedArray([[1, 2], [3, 4]]*mV, dt=1*ms)
G = NeuronGroup(4, 'v = ta(t, i/2) : volt')
run(1*ms)

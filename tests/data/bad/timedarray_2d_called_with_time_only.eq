ta = TimedArray([[1, 2], [3, 4]]*mV, dt=1*ms)
G = NeuronGroup(2, 'v = ta(t) : volt')
run(1*ms)

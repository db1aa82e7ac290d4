ta = TimedArray([[1, 2], [3, 4]]*mV, dt=1*ms)
G = NeuronGroup(2, 'I = ta(t, i) : amp')
run(1*ms)

# Brian2 gives NaN for a column outside a two-dimensional TimedArray (a = NaN for i = 2 here);
# snnc does the same and then stops at the NaN, saying where such a NaN may come from.
ta = TimedArray([[1, 2], [3, 4]]*mV, dt=1*ms)
G = NeuronGroup(3, 'a = ta(t, i) : volt')
M = StateMonitor(G, 'a', record=True)
run(0.2*ms)

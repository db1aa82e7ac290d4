# Python's range() where Brian2 scripts use it: StateMonitor(..., record=range(...)), and as a
# constant array.
G = NeuronGroup(300, 'dv/dt = (i*0.01 - v)/(5*ms) : 1', method='exact')
M = StateMonitor(G, 'v', record=range(0, 300, 100))
M2 = StateMonitor(G, 'v', record=range(3))
idx = range(1, 300, 149)
M3 = StateMonitor(G, "v", record=idx)
run(0.3*ms)

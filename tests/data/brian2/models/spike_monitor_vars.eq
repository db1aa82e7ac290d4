# SpikeMonitor with recorded variables and on subgroups: values at the spike (after the state
# update, before the reset: v just above the threshold), a state variable, a subexpression and
# a single variable name; a monitor of G[2:5] (indices relative to the subgroup); and a
# PopulationRateMonitor of G[:3].
tau = 5*ms
G = NeuronGroup(6, '''
dv/dt = (1.5 + 0.2*i - v)/tau : 1 (unless refractory)
w : 1
x = v + w : 1
''', threshold='v > 1', reset='v = 0', refractory=1*ms, method='exact')
G.w = 'i*10'
M = SpikeMonitor(G, variables=['v', 'w', 'x'])
M2 = SpikeMonitor(G[2:5], variables='w')
R = PopulationRateMonitor(G[:3])
run(10*ms)

# PoissonInput with a string weight, evaluated per target neuron at every step in the target
# group's namespace: a group parameter (wscale = i % 4), a script constant (w0) and t. Brian2
# runs `v += k*(weight)` with k ~ Binomial(50, 500 Hz * dt) (N*p = 2.5: the exact binomial).
# Neurons with i % 4 == 0 get weight 0 and stay at exactly 0; for the others
# E[v(t)/(w0*wscale)] = 2.5 * sum over the steps n before t of (1 + n*dt/(20 ms)).
w0 = 0.1*mV
G = NeuronGroup(400, '''
v : volt
wscale : 1
''')
G.wscale = 'i % 4'
P = PoissonInput(G, 'v', 50, 500*Hz, weight='w0*wscale*(1 + t/(20*ms))')
M = StateMonitor(G, 'v', record=True)
run(20*ms)

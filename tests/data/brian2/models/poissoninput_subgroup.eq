# PoissonInput with a string weight on a subgroup: the string sees the subgroup's namespace
# (i counts from the subgroup's start, N is its size). With rate*dt = 1 every one of the N
# inputs fires in every step, so the result is deterministic: v of neurons 2..4 grows by
# 2*((i + 1)*0.1 + N) per step (i = 0, 1, 2 and N = 3 within the subgroup); the others stay 0.
G = NeuronGroup(6, 'v : 1')
P = PoissonInput(G[2:5], 'v', 2, 10*kHz, weight='(i + 1)*0.1 + N')
M = StateMonitor(G, 'v', record=True)
run(1*ms)

# Pathway order: the 'pre' pathway runs before the 'post' pathway in the same step, so when
# both neurons spike together x ends up 2 (from on_post) and y 1 (from on_pre).
# Pair 0: pre and post both spike at 1 ms.        -> x = 2, y = 1
# Pair 1: only pre spikes (1 ms).                   -> x = 1, y = 1
# Pair 2: only post spikes (1 ms).                  -> x = 2, y = 0
# Pair 3: pre at 1 ms, post at 2 ms.                -> x = 1 then 2, y = 1
# Pair 4: post at 1 ms, pre at 2 ms.                -> x = 2 then 1, y = 1
src = SpikeGeneratorGroup(5, [0, 1, 3, 4], [1, 1, 1, 2]*ms)
tgt = SpikeGeneratorGroup(5, [0, 2, 3, 4], [1, 1, 2, 1]*ms)
S = Synapses(src, tgt, '''
x : 1
y : 1
''', on_pre='x = 1; y = 1', on_post='x = 2')
S.connect(j='i')
M = StateMonitor(S, ['x', 'y'], record=True)

# Same with neuron variables (x, y of the target group written by both pathways; the
# unsuffixed names refer to the postsynaptic neuron), as in Brian2's test_pre_before_post.
G = NeuronGroup(1, '''
x : 1
y : 1
''', threshold='t > 0.95*ms and t < 1.05*ms')
S_self = Synapses(G, G, on_pre='x = 1; y = 1', on_post='x = 2')
S_self.connect()
MG = StateMonitor(G, ['x', 'y'], record=True)

# on_pre sees the presynaptic state before the reset of that step: u = v_pre at the spike.
# H neuron 0 rises linearly (1.5 per ms; 'exact' cannot solve dv/dt = const, euler is exact) and resets to 0 at threshold v > 1.
H = NeuronGroup(2, '''
dv/dt = (1 - i)*1.5/ms : 1
u : 1
''', threshold='v > 1', reset='v = 0', method='euler')
S_h = Synapses(H, H, on_pre='u_post = v_pre')
S_h.connect(i=0, j=1)
MH = StateMonitor(H, ['v', 'u'], record=True)
spkH = SpikeMonitor(H)
run(3*ms)

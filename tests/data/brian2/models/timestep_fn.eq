# timestep(t, dt), Brian2's (int64_t)((t + 1e-3*dt)/dt): in a subexpression, in a threshold
# counting steps since the last spike (a per-neuron period), and at other times (t - 0.25*ms).
G = NeuronGroup(3, '''
dv/dt = -v/(10*ms) : 1
k : integer
step = timestep(t, dt) : integer
back = timestep(t - 0.25*ms, dt) : integer
''', threshold='timestep(t - lastspike, dt) >= 7 + 3*i', reset='v = 1; k += 1', method='exact', refractory=0.5*ms)
G.v = 1
M = StateMonitor(G, ['v', 'k', 'step', 'back'], record=True)
spk = SpikeMonitor(G)
run(3*ms)

# A SpikeGeneratorGroup emits a step's spikes in Brian2's stored order, by exact time and then
# neuron (not by neuron): 0.29999 ms (neuron 1) before 0.3 ms (neuron 0) in step 3, so the
# SpikeMonitor lists them that way and `v_post = w` keeps neuron 0's weight; times on and just
# off the step grid, and two runs.
times = [0.0, 0.1, 0.2, 0.3, 0.7, 1.1, 2.3, 0.29999, 0.35, 0.45, 0.049999, 0.05, 4.99, 5.0]*ms
idx = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
inp = SpikeGeneratorGroup(14, idx, times)
M = SpikeMonitor(inp)
G = NeuronGroup(14, 'dv/dt = -v/(3*ms) : 1', method='exact')
S = Synapses(inp, G, on_pre='v += 1 + 0.1*i', delay=0.35*ms)
S.connect(j='i')
pair = SpikeGeneratorGroup(2, [0, 1], [0.3, 0.29999]*ms)
H = NeuronGroup(1, 'v : 1')
S2 = Synapses(pair, H, 'w : 1', on_pre='v_post = w')
S2.connect()
S2.w = 'i + 1'
MV = StateMonitor(G, 'v', record=True)
MH = StateMonitor(H, 'v', record=0)
run(3.03*ms)
run(2.0*ms)

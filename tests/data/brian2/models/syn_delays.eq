# Synaptic delays: when does a presynaptic spike reach its target?
# inp neuron 0 spikes once at 1 ms; inp neuron 1 spikes at 1.0, 1.3 and 1.6 ms.
# Targets are parameters only ('v : 1'), so each trace is a step function whose first
# changed sample shows the arrival step (StateMonitor records at the start of a step).
inp = SpikeGeneratorGroup(2, [0, 1, 1, 1], [1, 1, 1.3, 1.6]*ms)

# per-synapse delays from an array: 0, 1 ms, 0.15 ms (0.15/0.1 = 1.4999... -> 1 step),
# 0.05 ms (-> 1 step), 0.04 ms (-> 0 steps), 0.25 ms, 0.35 ms
G1 = NeuronGroup(7, 'v : 1')
S1 = Synapses(inp, G1, on_pre='v_post += 1')
S1.connect(i=0, j=[0, 1, 2, 3, 4, 5, 6])
S1.delay = [0, 1, 0.15, 0.05, 0.04, 0.25, 0.35]*ms

# per-synapse delays from a string: j*0.5*ms
G2 = NeuronGroup(4, 'v : 1')
S2 = Synapses(inp, G2, 'w : 1', on_pre='v_post += w')
S2.connect(i=0, j=[0, 1, 2, 3])
S2.w = 'j + 1'
S2.delay = 'j*0.5*ms'

# one scalar delay for all synapses (Synapses keyword)
G3 = NeuronGroup(2, 'v : 1')
S3 = Synapses(inp, G3, on_pre='v_post += 1', delay=0.15*ms)
S3.connect(i=0, j=[0, 1])

# several spikes in flight on the same synapse (1 ms delay, spikes 0.3 ms apart)
G4 = NeuronGroup(1, 'v : 1')
S4 = Synapses(inp, G4, on_pre='v_post += 1', delay=1*ms)
S4.connect(i=1, j=0)

# delay 0: the target is changed in the spike's own step, but its threshold of that step
# has already been evaluated, so it spikes one step later (1.1 ms)
G5 = NeuronGroup(1, 'v : 1', threshold='v > 0.5', reset='v = 0')
S5 = Synapses(inp, G5, on_pre='v_post += 1')
S5.connect(i=0, j=0)

M1 = StateMonitor(G1, 'v', record=True)
M2 = StateMonitor(G2, 'v', record=True)
M3 = StateMonitor(G3, 'v', record=True)
M4 = StateMonitor(G4, 'v', record=True)
M5 = StateMonitor(G5, 'v', record=True)
spk5 = SpikeMonitor(G5)
run(4*ms)

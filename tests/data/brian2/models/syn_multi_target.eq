# Several synapses onto one neuron in the same time step: the pathway code runs once per
# synapse, sequentially, in spike-queue order.
# All three inputs spike at 1 ms.
inp = SpikeGeneratorGroup(3, [0, 1, 2], [1, 1, 1]*ms)

# v_post += 1 from 3 sources -> 3
Ga = NeuronGroup(1, 'v : 1')
Sa = Synapses(inp, Ga, on_pre='v_post += 1')
Sa.connect(i=[0, 1, 2], j=0)

# v_post = v_post*2 + 1 three times from 0 -> 1, 3, 7
Gb = NeuronGroup(1, 'v : 1')
Sb = Synapses(inp, Gb, on_pre='v_post = v_post*2 + 1')
Sb.connect(i=[0, 1, 2], j=0)

# v_post = w: the last executed synapse wins (synapses created in source order)
Gc = NeuronGroup(1, 'v : 1')
Sc = Synapses(inp, Gc, 'w : 1', on_pre='v_post = w')
Sc.connect(i=[0, 1, 2], j=0)
Sc.w = [5, 7, 3]

# the same, but synapses created in the order 2, 0, 1 (synapse index order differs from
# source neuron order)
Gd = NeuronGroup(1, 'v : 1')
Sd = Synapses(inp, Gd, 'w : 1', on_pre='v_post = w')
Sd.connect(i=[2, 0, 1], j=0)
Sd.w = [5, 7, 3]

# two synapses from the same source onto the same target (n=2), plus a third source
Ge = NeuronGroup(1, 'v : 1')
Se = Synapses(inp, Ge, 'w : 1', on_pre='v_post = v_post*10 + w')
Se.connect(i=[1, 2], j=0, n=2)
Se.w = [1, 2, 3, 4]

M = StateMonitor(Ga, 'v', record=True)
Mb = StateMonitor(Gb, 'v', record=True)
Mc = StateMonitor(Gc, 'v', record=True)
Md = StateMonitor(Gd, 'v', record=True)
Me = StateMonitor(Ge, 'v', record=True)
run(2*ms)

# Writes to an `(unless refractory)` variable while the neuron is refractory: Brian2 makes every
# code block but the state update, resets and run_on_event code write it conditionally (only
# where not_refractory), so synaptic input (`+=` and `=`), run_regularly, PoissonInput (made
# deterministic: N=1, rate*dt = 1) and a string set between runs leave it alone then; a
# variable without the flag (u) and run_on_event code change it anyway.
inp = SpikeGeneratorGroup(1, [0, 0, 0, 0, 0], [0.5, 1.0, 1.5, 3.0, 5.0]*ms)
G = NeuronGroup(2, """dv/dt = -v/(20*ms) : volt (unless refractory)
du/dt = -u/(20*ms) : volt""",
                threshold="v > 20*mV", reset="v = 0*mV", refractory=2*ms, method="exact")
G.v = [19.5, 5]*mV
S = Synapses(inp, G, on_pre='v_post += 1*mV; u_post += 1*mV')
S.connect()
H = NeuronGroup(2, """dv/dt = -v/(20*ms) : volt (unless refractory)""",
                threshold="v > 20*mV", reset="v = 0*mV", refractory=2*ms, method="exact")
H.v = [19.5, 5]*mV
H.run_regularly('v += 1*mV', dt=0.5*ms)
S2 = Synapses(inp, H, on_pre='v_post = 21*mV')
S2.connect(i=0, j=1)
K = NeuronGroup(2, """dv/dt = -v/(20*ms) : volt (unless refractory)""",
                threshold="v > 20*mV", reset="v = 10*mV", refractory=2*ms, method="exact")
P = PoissonInput(target=K, target_var="v", N=1, rate=10*kHz, weight=0.5*mV)
E = NeuronGroup(2, """dv/dt = (25*mV - v)/(5*ms) : volt (unless refractory)""",
                threshold="v > 20*mV", reset="v = 0*mV", refractory=3*ms, method="exact",
                events={'tick': 't > 0*ms'})
E.run_on_event('tick', 'v += 0.2*mV')
M = StateMonitor(G, ['v', 'u'], record=True)
MH = StateMonitor(H, 'v', record=True)
MK = StateMonitor(K, 'v', record=True)
ME = StateMonitor(E, 'v', record=True)
spG = SpikeMonitor(G)
spH = SpikeMonitor(H)
spK = SpikeMonitor(K)
spE = SpikeMonitor(E)
run(8*ms)
K.v = 'v + 3*mV'
run(2*ms)

# exact_coupled: method='exact' on a coupled linear system whose coefficients are per-neuron
# parameters (a current with its own time constant feeding the membrane). Brian2 integrates it
# with the symbolic matrix exponential, which divides by (tau - tau_s). A constant per-neuron
# drive v0 exercises the inhomogeneous part; the reset kicks the current.
G = NeuronGroup(4, '''
dv/dt = (I + v0 - v)/tau : 1
dI/dt = -I/tau_s : 1
tau : second
tau_s : second
v0 : 1
''', threshold='v > 0.8', reset='v = 0; I += 0.5', method='exact')
G.tau = '10*ms + i*ms'
G.tau_s = [2, 3, 5, 7]*ms
G.v0 = '0.2*i'
G.I = '1 + 0.5*i'
G.v = [0, 0.1, -0.2, 0.3]
M = StateMonitor(G, ['v', 'I'], record=True)
spk = SpikeMonitor(G)
run(20*ms)

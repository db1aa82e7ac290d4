# exact_chain: method='exact' on a triangular system of four variables with per-neuron
# coefficients: a chain h -> g -> v (a rise-and-decay conductance-like input feeding the
# membrane) and a second current q feeding v directly (a tree), with a per-neuron constant
# input into h. No spikes; the traces pin down the matrix exponential and its fixed-point part.
G = NeuronGroup(3, '''
dv/dt = (g - q - v)/tau : 1
dg/dt = (h - g)/tau_g : 1
dh/dt = (r - h)/tau_h : 1
dq/dt = -q/tau_q : 1
tau : second
tau_g : second
tau_h : second
tau_q : second
r : 1
''', method='exact')
G.tau = '20*ms - 2*i*ms'
G.tau_g = [3, 5, 8]*ms
G.tau_h = '1.5*ms + i*ms'
G.tau_q = [4, 9, 6]*ms
G.r = '0.5 + i'
G.h = [1, 0, 2]
G.q = '0.3*i + 0.1'
M = StateMonitor(G, ['v', 'g', 'h', 'q'], record=True)
run(15*ms)

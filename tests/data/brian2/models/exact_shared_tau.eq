# exact_shared_tau: method='exact' on a coupled system whose two diagonal entries are the same
# per-neuron expression (one tau for membrane and current): the matrix is not diagonalisable and
# Brian2's sympy uses the Jordan form, v_new = exp(-dt/tau)*(v + w*I*dt/tau); snnc takes the
# confluent divided difference. The coupling weight w is per neuron too.
G = NeuronGroup(3, '''
dv/dt = (w*I - v)/tau : 1
dI/dt = -I/tau : 1
tau : second
w : 1
''', method='exact')
G.tau = '5*ms + 2*i*ms'
G.w = '1 + i'
G.I = '1 + 0.5*i'
G.v = [0.1, 0, -0.1]
M = StateMonitor(G, ['v', 'I'], record=True)
run(5*ms)

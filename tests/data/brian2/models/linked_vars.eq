# Linked variables: u of G2 is G1's v (same size, read by G2's equation after G1's update
# of the same step); s of G2 is G3's single value k (a one-neuron group linked by all).
tau = 2*ms
G1 = NeuronGroup(3, 'dv/dt = (2 + i - v)/tau : 1', threshold='v > 1.5', reset='v = 0', method='exact')
G3 = NeuronGroup(1, 'k : 1')
G3.k = 0.5
G2 = NeuronGroup(3, '''
u : 1 (linked)
s : 1 (linked)
dx/dt = (u*s - x)/tau : 1
''', method='euler')
G2.u = linked_var(G1, 'v')
G2.s = linked_var(G3, 'k')
M = StateMonitor(G2, ['u', 'x', 's'], record=True)
run(3*ms)

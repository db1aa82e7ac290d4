# linked_var with index=: a linked variable reads the source element given by an integer
# parameter of the linking group (read at every access: changed between the two runs) or by
# a fixed array, and is used in a differential equation and recorded (also in SpikeMonitor
# variables); a link to a subgroup reads the group at the subgroup's neurons (the subgroup is
# kept in a variable: Brian2 loses a temporary one).
src = NeuronGroup(3, 'dv/dt = (1 + i - v)/(5*ms) : 1', method='exact')
G = NeuronGroup(4, '''du/dt = (x - u)/(2*ms) : 1
                      x : 1 (linked)
                      k : integer''', threshold='u > 0.8', reset='u = 0', method='euler')
G.k = [2, 0, 1, 2]
G.x = linked_var(src, 'v', index='k')
H = NeuronGroup(4, 'y : 1 (linked)')
H.y = linked_var(src, 'v', index=[1, 1, 0, 2])
M = StateMonitor(G, ['u', 'x'], record=True)
MH = StateMonitor(H, 'y', record=True)
sub = src[1:3]
K = NeuronGroup(2, 'z : 1 (linked)')
K.z = linked_var(sub, 'v')
MK = StateMonitor(K, 'z', record=True)
spk = SpikeMonitor(G, variables=['x'])
run(3*ms)
G.k = [0, 1, 2, 0]
run(2*ms)

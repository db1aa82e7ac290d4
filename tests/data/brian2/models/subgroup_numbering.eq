# A subgroup numbers its neurons from 0: `i` and `N` in strings assigned on a subgroup, string
# conditions on it, and a StateMonitor's `record` indices (and so the file's header) count from
# the subgroup's first neuron.
G = NeuronGroup(8, '''
x : 1
y : 1
z : 1
''')
G.x = 'i*10'
Gb = G[2:7]
Gb.y = 'i + 100*N'
Gb.z[1:3] = 5
Gb.z['i == 0'] = 7
Gb.z['i >= 3'] = 'i*1000 + N'
Gc = G[5:]
M = StateMonitor(G, ['x', 'y', 'z'], record=True)
Mb = StateMonitor(Gb, ['x', 'y'], record=[0, 3])
Mall = StateMonitor(Gc, 'x', record=True)
run(0.2*ms)

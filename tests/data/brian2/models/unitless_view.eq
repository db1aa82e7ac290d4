# Brian2's unitless views: G.v_ sets v in its SI unit from a number or array without units, also
# with an index, a string condition, on a subgroup and on a synaptic variable.
G = NeuronGroup(4, '''
v : volt
g : siemens
''')
G.v_ = 0.001
G.v_[2:] = [0.005, 0.007]
G.v_['i == 0'] = 0.002
G[1:3].g_ = 3e-9
S = Synapses(G, G, 'w : amp')
S.connect(j='i')
S.w_ = [1e-12, 2e-12, 3e-12, 4e-12]
M = StateMonitor(G, ['v', 'g'], record=True)
MS = StateMonitor(S, 'w', record=True)
run(0.1*ms)

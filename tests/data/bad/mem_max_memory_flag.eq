G = NeuronGroup(200000, '''
dv/dt = -v/(10*ms) : 1
u : 1
''', method='exact')

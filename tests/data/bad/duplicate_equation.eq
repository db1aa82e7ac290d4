tau = 10*ms
G = NeuronGroup(1, '''
dv/dt = -v/tau : 1
dv/dt = -2*v/tau : 1
''')
run(1*ms)

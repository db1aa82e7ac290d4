G = NeuronGroup(3, '''
v : 1
total : 1 (shared)
''', threshold='v > 1', reset='total += 1')
run(1*ms)

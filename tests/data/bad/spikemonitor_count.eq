G = NeuronGroup(2, '''
dv/dt = 1/ms : 1
count : 1
''', threshold='v > 1', reset='v = 0', method='euler')
spk = SpikeMonitor(G, variables=['v', 'count'])
run(1*ms)

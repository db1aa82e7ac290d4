# run_regularly: code run on its own clock (default when='start', i.e. before the state
# update, threshold and reset of that step). Two run() calls continue the same simulation.
G = NeuronGroup(3, '''
dv/dt = -v/(10*ms) : 1
c : 1
d : 1
''', threshold='v > 1', reset='v = 0', method='exact')
G.run_regularly('''
v += 0.3*(i + 1)
c += 1
''', dt=1*ms)
G.run_regularly('d = t/ms + i', dt=0.5*ms)
M = StateMonitor(G, ['v', 'c', 'd'], record=True)
spk = SpikeMonitor(G)
run(5*ms)
run(5*ms)

tau = 10*ms
eqs = '''
dv/dt = (1-v)/*tau : 1 (unless refractory)
'''
G = NeuronGroup(1, eqs, threshold='v>0.8', reset='v = 0', refractory=5*ms, method='exact')
spikemon = SpikeMonitor(G)
run(50*ms)


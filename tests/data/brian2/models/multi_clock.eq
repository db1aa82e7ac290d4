# Objects on different clocks: a group with dt = 1 ms driving a group on the default 0.1 ms
# clock through delayed synapses, which drives a group with dt = 0.25 ms (a step that does not
# divide 0.1 ms and is not divided by it), over two runs whose end (10.05 ms) is off the 1 ms
# and 0.25 ms grids.
tau = 3*ms
P = NeuronGroup(3, 'dv/dt = (1.2 + 0.1*i - v)/tau : 1', threshold='v > 1', reset='v = 0',
                method='exact', dt=1*ms)
G = NeuronGroup(2, '''dv/dt = (I - v)/(5*ms) : 1
                      I : 1''', threshold='v > 0.5', reset='v = 0', refractory=2*ms,
                method='exact')
G.I = [0.4, 0.45]
S = Synapses(P, G, 'w : 1', on_pre='v_post += w', delay=1.5*ms)
S.connect()
S.w = '0.1 + 0.05*i + 0.02*j'
H = NeuronGroup(2, 'dv/dt = -v/(3*ms) : 1', threshold='v > 0.2', reset='v = 0',
                refractory=0.6*ms, method='euler', dt=0.25*ms)
S2 = Synapses(G, H, on_pre='v_post += 0.3')
S2.connect(j='i')
Mp = StateMonitor(P, 'v', record=True)
Mg = StateMonitor(G, 'v', record=True)
Mh = StateMonitor(H, 'v', record=True)
Mslow = StateMonitor(G, 'v', record=[0], dt=0.5*ms)
sp = SpikeMonitor(P)
sg = SpikeMonitor(G)
sh = SpikeMonitor(H)
rp = PopulationRateMonitor(P)
rh = PopulationRateMonitor(H)
run(10.05*ms)
run(10*ms)

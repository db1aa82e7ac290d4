# StateMonitor(source, True, ...): every name of the object's equations, including what
# Brian2 adds to them (lastspike and not_refractory of a refractory group, lastupdate of
# event-driven synapses), subexpressions too.
G = NeuronGroup(3, '''dv/dt = (v0 - v)/(2*ms) : 1
                      v0 : 1
                      x = 2*v : 1''', threshold='v > 1', reset='v = 0',
                refractory='(1 + i)*ms', method='exact')
G.v0 = 'i*0.5 + 0.6'
S = Synapses(G, G, '''w : 1
                      dapre/dt = -apre/(5*ms) : 1 (event-driven)''',
             on_pre='apre += 0.1; v_post += w')
S.connect(condition='j == (i + 1) % 3')
S.w = 0.05
M = StateMonitor(G, True, record=True)
MS = StateMonitor(S, True, record=True)
run(10*ms)

# A linked variable in Synapses: G : 1 (linked) of the synapses reads the variable of a
# one-neuron group (Brian2's global factor pattern), used in on_pre and in a clock-driven
# equation; S is linked before connect, S2 after.
F = NeuronGroup(1, 'dG/dt = 1/ms : 1', method='euler')
P = NeuronGroup(2, 'dv/dt = (2 - v)/(5*ms) : 1', threshold='v > 1', reset='v = 0',
                method='exact')
S = Synapses(P, P, '''w : 1
                      G : 1 (linked)
                      dx/dt = G/ms : 1 (clock-driven)''', on_pre='w += G', method='euler')
S.G = linked_var(F, 'G')
S.connect()
S2 = Synapses(P, P, '''u : 1
                       G2 : 1 (linked)''', on_pre='u += 2*G2')
S2.connect(j='i')
S2.G2 = linked_var(F, 'G')
M = StateMonitor(S, ['w', 'x'], record=True)
M2 = StateMonitor(S2, 'u', record=True)
run(10*ms)

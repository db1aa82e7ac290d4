# Several pathways per Synapses object (dictionaries for on_pre and delay, as in Brian2):
# 'pre' (delay 1 ms), 'pre2' (2.5 ms) and 'zz' (no delay) on S; on T a pathway 'a' and one
# 'pre' without delays, which run in name order within the 'synapses' slot ('synapses_1_a'
# before 'synapses_1_pre': v += 0.01 then v *= 2); U keeps a string on_pre with per-synapse
# delays set from a string.
G = NeuronGroup(2, 'dv/dt = (1.5 - v)/(5*ms) : 1', threshold='v > 1', reset='v = 0',
                method='exact')
H = NeuronGroup(2, 'dv/dt = -v/(10*ms) : 1', method='exact')
S = Synapses(G, H, 'w : 1',
             on_pre={'pre': 'v_post += w', 'pre2': 'v_post -= 0.5*w', 'zz': 'w *= 1.1'},
             delay={'pre': 1*ms, 'pre2': 2.5*ms})
S.connect()
S.w = 'i + 0.1*j + 0.1'
T = Synapses(G, H, on_pre={'a': 'v_post += 0.01', 'pre': 'v_post *= 2'})
T.connect(j='i')
U = Synapses(G, H, 'w2 : 1', on_pre='v_post += w2')
U.connect(j='i')
U.w2 = 0.2
U.delay = 'i*1*ms'
M = StateMonitor(H, 'v', record=True)
MS = StateMonitor(S, 'w', record=True)
spk = SpikeMonitor(G)
run(20*ms)

# Places in Brian2's schedule (when=, order=, and names within a slot): StateMonitors at
# 'start' (default), 'groups' (between the state updaters, by name: 'neurongroup_stateupdater'
# < 'statemonitor_*' < 'zz_stateupdater'), 'after_thresholds' (lastspike and not_refractory
# already set for this step's spikes), 'after_synapses', 'resets' (after 'neurongroup_resetter'
# by name), 'end', and 'start' with order=-1; run_regularly at 'end' and at 'start' on a group
# named 'zz' ('zz_run_regularly' sorts after 'statemonitor', so start monitors record before
# it); a SpikeMonitor at 'after_resets' (values after the reset); a PoissonInput with
# rate*dt = 1 (one event every step) at 'after_synapses', order -5.
G = NeuronGroup(3, '''dv/dt = (1.2 + 0.1*i - v)/(5*ms) : 1
                      x = 2*v : 1''', threshold='v > 1', reset='v = 0', refractory=1*ms,
                method='exact')
H = NeuronGroup(3, 'dv/dt = -v/(5*ms) : 1', method='exact', name='zz')
S = Synapses(G, H, on_pre='v_post += 0.5')
S.connect(j='i')
G.run_regularly('v += 0.01', when='end')
H.run_regularly('v += 0.02')
inp = PoissonInput(H, 'v', 1, 10*kHz, weight=0.001, when='after_synapses', order=-5)
M_start = StateMonitor(G, ['v', 'x'], record=True)
M_groups_G = StateMonitor(G, 'v', record=True, when='groups')
M_groups_H = StateMonitor(H, 'v', record=True, when='groups')
M_thr = StateMonitor(G, ['v', 'x', 'lastspike', 'not_refractory'], record=True,
                     when='after_thresholds')
M_syn = StateMonitor(H, 'v', record=True, when='after_synapses')
M_start_H = StateMonitor(H, 'v', record=True)
M_reset = StateMonitor(G, ['v', 'x'], record=True, when='resets')
M_end = StateMonitor(G, 'v', record=True, when='end')
M_first = StateMonitor(H, 'v', record=True, order=-1)
spk = SpikeMonitor(G, variables=['v', 'x'], when='after_resets')
run(10*ms)

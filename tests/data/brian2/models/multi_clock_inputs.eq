# Inputs and synapses on their own clocks: a TimedArray read at a group's own time (dt 0.5 ms,
# table dt 1 ms), run_regularly on that group's clock, a SpikeGeneratorGroup with dt = 0.5 ms
# (spike times binned on its own grid), a summed variable into a group with dt = 0.3 ms
# (updated on the target's clock), clock-driven synapses with dt = 0.4 ms, and StateMonitors
# with their own dt recording a subexpression (every 1 ms, a multiple of the group's 0.5 ms,
# and every 0.3 ms, evaluated at the monitor's times from the group's last state).
ta = TimedArray([0.0, 0.5, 1.5, 1.0, 0.25], dt=1*ms)
A = NeuronGroup(2, '''dv/dt = (ta(t) + 0.1*i - v)/(2*ms) : 1
                      c : 1
                      x = v + c : 1''', method='euler', dt=0.5*ms)
A.run_regularly('c += 0.01*(i + 1)', dt=1*ms)
gen = SpikeGeneratorGroup(2, [0, 1, 0, 1], [1, 2.5, 4, 4.2]*ms, dt=0.5*ms)
B = NeuronGroup(2, 'dv/dt = -v/(4*ms) : 1', method='exact', dt=0.2*ms)
Sg = Synapses(gen, B, on_pre='v_post += 0.5')
Sg.connect(j='i')
C = NeuronGroup(2, '''dv/dt = (Is - v)/(1*ms) : 1
                      Is : 1''', method='exact', dt=0.3*ms)
Ssum = Synapses(A, C, 'Is_post = 0.5*v_pre : 1 (summed)')
Ssum.connect(j='i')
Sc = Synapses(A, B, 'dw/dt = (v_pre - w)/(2*ms) : 1 (clock-driven)', method='euler',
              dt=0.4*ms)
Sc.connect()
Ma = StateMonitor(A, ['v', 'c'], record=True)
Mx = StateMonitor(A, 'x', record=True, dt=1*ms)
Mx3 = StateMonitor(A, 'x', record=True, dt=0.3*ms)
Mb = StateMonitor(B, 'v', record=True)
Mc = StateMonitor(C, ['v', 'Is'], record=True)
Mw = StateMonitor(Sc, 'w', record=True)
sgen = SpikeMonitor(gen)
run(6*ms)

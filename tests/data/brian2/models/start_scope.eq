# start_scope(): later runs include only objects created after it and start again at t = 0;
# the monitors of the closed scope keep what they recorded; constants, defaultclock.dt and
# TimedArrays carry over. A name rebound to a new monitor names only the new one.
ta = TimedArray([1, 2, 3]*Hz, dt=0.5*ms)
G = NeuronGroup(2, 'dv/dt = ta(t) + i*Hz : 1', method='euler')
MV = StateMonitor(G, 'v', record=True)
M = StateMonitor(G, 'v', record=[0])
run(1*ms)
run(0.3*ms)
start_scope()
defaultclock.dt = 0.05*ms
H = NeuronGroup(3, 'dx/dt = ta(t) : 1', threshold='x > 0.0012', reset='x = 0', method='euler')
S = Synapses(H, H, 'w : 1', on_pre='x_post += w')
S.connect(j='(i + 1) % 3')
S.w = '0.0001*(i + 1)'
MX = StateMonitor(H, 'x', record=True)
M = StateMonitor(H, 'x', record=[2])
spk = SpikeMonitor(H)
run(1*ms)

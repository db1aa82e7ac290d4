# TimedArray used inside model strings.
# ta: 1-D, with units, dt 2 ms (a multiple of the 0.1 ms step), 4 values; after 8 ms the
# last value is held. tb: dimensionless, dt 0.25 ms (not a multiple of dt: value k is valid
# on [k*0.25 ms, (k+1)*0.25 ms), read at the 0.1 ms steps). (The 2-D case of timedarray.eq is not supported by snnc yet.)
ta = TimedArray([0, 1, 3, 2]*nA, dt=2*ms)
tb = TimedArray([1.0, -1.0, 2.0, 0.0, 0.5], dt=0.25*ms)
R = 10*Mohm
tau = 5*ms
G = NeuronGroup(2, '''
dv/dt = (-v + R*ta(t))/tau : volt
I = ta(t) : amp
b = tb(t) : 1
''', method='exact')
H = NeuronGroup(1, '''
du/dt = tb(t)/ms : 1
''', method='euler')
M = StateMonitor(G, ['v', 'I', 'b'], record=True)
MH = StateMonitor(H, 'u', record=True)
run(10*ms)

# TimedArrays called with a time other than t: shifted (t - 3*ms, before the start for the first
# 3 ms, so row 0 is held), scaled and offset (2*t + 1*ms, past the end after 3.5 ms, so the
# last row is held), per neuron (t - i*ms), and a two-dimensional table at t + i*0.25*ms with a
# column index, inside an Euler-integrated equation as well as in subexpressions.
ta = TimedArray([0, 1, 3, 2]*nA, dt=2*ms)
tb = TimedArray(array([[1.0, -1.0], [2.0, 0.5], [-3.0, 4.0]]), dt=0.5*ms)
R = 10*Mohm
tau = 2*ms
G = NeuronGroup(3, '''
dv/dt = (-v + R*ta(t - 3*ms))/tau : volt
I1 = ta(t - 3*ms) : amp
I2 = ta(2*t + 1*ms) : amp
I3 = ta(t - i*ms) : amp
b = tb(t + i*0.25*ms, i % 2) : 1
c = tb(0.5*t, 1 - i // 2) : 1
''', method='euler')
M = StateMonitor(G, ['v', 'I1', 'I2', 'I3', 'b', 'c'], record=True)
run(10*ms)

# Two-dimensional TimedArrays: values[time step, column], called as ta(t, i) with any integer
# column expression. ta: a list of lists times a unit (3 rows x 4 columns, dt 1 ms, a
# multiple of the 0.1 ms step; the last row is held after 3 ms). tb: array() of lists,
# dimensionless, dt 0.25 ms (not a multiple of the step), read at column i % 2. tc: array(...).T
# times a unit (4 rows x 2 columns), read at i % 2 inside the exactly integrated equation and
# at 1 - i // 2. td: ones((2, 4))*0.5 + array(...), read at N - 1 - i.
ta = TimedArray([[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]*mV, dt=1*ms)
tb = TimedArray(array([[1.0, -1.0], [2.0, 0.5], [-3.0, 4.0], [0.0, 0.25], [5.0, 6.0]]), dt=0.25*ms)
tc = TimedArray(array([[1, 2, 3, 4], [5, 6, 7, 8]]).T*nA, dt=2*ms)
td = TimedArray(ones((2, 4))*0.5 + array([[0, 1, 2, 3], [4, 5, 6, 7]]), dt=0.5*ms)
R = 10*Mohm
tau = 2*ms
G = NeuronGroup(4, '''
dv/dt = (-v + ta(t, i) + R*tc(t, i % 2))/tau : volt
a = ta(t, i) : volt
b = tb(t, i % 2) : 1
c = tc(t, 1 - i // 2) : amp
d = td(t, N - 1 - i) : 1
''', method='exact')
M = StateMonitor(G, ['v', 'a', 'b', 'c', 'd'], record=True)
run(10*ms)

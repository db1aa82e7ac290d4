# Brian2 refuses this too: a TimedArray read at a time other than t is not guaranteed to be
# constant over a time step, so method='exact' cannot integrate it (UnsupportedEquationsException).
ta = TimedArray([0, 1, 3, 2]*nA, dt=2*ms)
R = 10*Mohm
tau = 2*ms
G = NeuronGroup(1, 'dv/dt = (-v + R*ta(t - 3*ms))/tau : volt', method='exact')
run(1*ms)

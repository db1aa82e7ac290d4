# The reset stores 0/0: v grows by 0.1 per step and first exceeds 1 in the step at t = 1 ms
# (ten additions of 0.1 give 0.9999999999999999, eleven give 1.0999999999999999).
G = NeuronGroup(1, '''dv/dt = 1/ms : 1
z : 1''', threshold='v > 1', reset='v = z/z', method='euler')
run(3*ms)

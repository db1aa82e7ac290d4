# A coupled linear system whose coefficients vary per neuron and whose variables depend on each
# other in a cycle (v -> w -> v): snnc's exact method needs numeric coefficients or a coupling
# without cycles. Brian2 2.9.0 accepts it (sympy's symbolic matrix exponential, with square
# roots of the discriminant); snnc refuses it and names the cycle.
G = NeuronGroup(2, '''
dv/dt = (-v - w)/tau : 1
dw/dt = (a*v - w)/tau_w : 1
tau : second
tau_w : second
a : 1
''', method='exact')
run(1*ms)

# A triangular coupled system with per-neuron coefficients whose matrix is singular (v has no
# decay of its own): Brian2's linear solve for the fixed point fails and it refuses 'exact'.
G = NeuronGroup(2, '''
dv/dt = I/C : 1
dI/dt = -I/tau : 1
C : second
tau : second
''', method='exact')
run(1*ms)

# run_regularly with a dt that is no multiple of its group's: Brian2 gives the operation its
# own clock, so it runs at its own times (0, 0.25, 0.5 ms, ... on a 0.1 ms group; 0, 0.3,
# 0.6 ms, ... on a 0.2 ms group), and its code reads the group's t, the group clock's
# current value (its next step's time when the group did not run at that instant).
G = NeuronGroup(2, '''dv/dt = -v/(1*ms) : 1
                      c : 1
                      last : second''', method='exact')
G.run_regularly('c += 1; last = t; v += 0.1*(i + 1)', dt=0.25*ms)
H = NeuronGroup(1, '''c : 1
                      last : second''', dt=0.2*ms)
H.run_regularly('c += 1; last = t', dt=0.3*ms)
M = StateMonitor(G, ['v', 'c', 'last'], record=True)
MH = StateMonitor(H, ['c', 'last'], record=True)
run(2*ms)

# A NaN stored only by run_regularly (c is written by no other kernel) stops the run at its step.
G = NeuronGroup(2, '''dv/dt = -v/(10*ms) : 1
c : 1''')
G.run_regularly('c = log(-1.0*(t > 0.5*ms) + 1.0*(t <= 0.5*ms))', dt=0.1*ms)
run(1*ms)

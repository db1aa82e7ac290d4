G = NeuronGroup(1, "dv/dt = v/(0.01*ms) : 1", method="euler")
G.v = 1
run(100*ms)

G = NeuronGroup(2, 'dv/dt = 1/(10*ms) : 1', threshold='v > 1', reset='v = 0')
G.run_regularly('v += 0.5', when='after_groups')
run(1*ms)

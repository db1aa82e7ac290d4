G = NeuronGroup(10, eqs,
                threshold='v > 1'
run(10*ms)

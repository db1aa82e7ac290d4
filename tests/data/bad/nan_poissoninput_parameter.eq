# A PoissonInput into a parameter no kernel writes: the overflow to infinity stops the run.
G = NeuronGroup(2, 'v : 1')
inp = PoissonInput(G, 'v', 1, 10*kHz, weight=1e308)
run(1*ms)

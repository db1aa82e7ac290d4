G = NeuronGroup(3, 'v : volt')
P = PoissonInput(G, 'v', 10, 5*Hz, weight=[1, 2, 3]*mV)
run(1*ms)

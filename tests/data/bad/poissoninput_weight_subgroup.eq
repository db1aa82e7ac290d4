G = NeuronGroup(3, 'v : volt')
P = PoissonInput(G[1:3], 'v', 10, 5*Hz, weight='i*mV')
run(1*ms)

G = NeuronGroup(3, 'v : volt')
P = PoissonInput(G, 'v', 10, 5*Hz, weight='w_syn*(i + 1)')
run(1*ms)

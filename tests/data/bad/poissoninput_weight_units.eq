G = NeuronGroup(3, 'v : volt')
P = PoissonInput(G, 'v', 10, 5*Hz, weight='(i + 1)*nA')
run(1*ms)

G = NeuronGroup(1, 'dv/dt = exp(-v)/ms : 1', method='exponential_euler')
run(1*ms)

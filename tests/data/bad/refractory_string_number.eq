tau = 10*ms
G = NeuronGroup(1, 'dv/dt = -v/tau : 1 (unless refractory)', threshold='v>1', refractory='yes')
run(1*ms)

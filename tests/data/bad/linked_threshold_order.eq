# G2's threshold reads G1's v through a link; Brian2 updates G1 ('neurongroup') after G2
# ('neurongroup_1') but evaluates every threshold after every update: not supported yet.
tau = 2*ms
G1 = NeuronGroup(3, 'dv/dt = (2 - v)/tau : 1', method='exact')
G2 = NeuronGroup(3, 'u : 1 (linked)', threshold='u > 1')
G2.u = linked_var(G1, 'v')
run(1*ms)

# The order of state updaters within the 'groups' slot: Brian2 sorts objects of equal order by
# name, i.e. by '<name>_stateupdater'. The clock-driven synapses read v_post: from
# 'neurongroup' (sorted before 'synapses', so they see this step's v) and from a group named
# 'zz' (sorted after, so they see the previous step's v).
G = NeuronGroup(2, 'dv/dt = 1/ms : 1', method='euler')
H = NeuronGroup(2, 'dv/dt = 1/ms : 1', method='euler', name='zz')
S = Synapses(G, G, 'dx/dt = v_post/ms : 1 (clock-driven)', method='euler')
S.connect(i=0, j=1)
S2 = Synapses(G, H, 'dy/dt = v_post/ms : 1 (clock-driven)', method='euler')
S2.connect(i=0, j=1)
M = StateMonitor(S, 'x', record=True)
M2 = StateMonitor(S2, 'y', record=True)
run(0.5*ms)

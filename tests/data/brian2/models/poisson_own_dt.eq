# (stochastic; no ref/ folder) Random inputs on their own clocks: a PoissonGroup with
# dt = 1 ms and a PoissonInput onto a group with dt = 0.5 ms. Checked against expectations
# derived by hand in tests/brian2_synapses.rs.
P = PoissonGroup(100, 200*Hz, dt=1*ms)
G = NeuronGroup(100, 'v : 1', dt=0.5*ms)
inp = PoissonInput(G, 'v', 10, 100*Hz, weight=1.0)
M = SpikeMonitor(P)
Mv = StateMonitor(G, 'v', record=True)
run(100*ms)

# Writing a large StateMonitor (BENCHMARKS.md, section (d)): seed5's noisy LIF neurons,
# N = 1000, every neuron's v recorded at every step for 1 s: 10^7 numbers, a 150 MB CSV file.
N = 1000
tau = 10*ms
v0_max = 3.
duration = 1000*ms
sigma = 0.2
eqs = '''
dv/dt = (v0-v)/tau+sigma*xi*tau**-0.5 : 1 (unless refractory)
v0 : 1
'''
G = NeuronGroup(N, eqs, threshold='v>1', reset='v=0', refractory=5*ms, method='euler')
M = StateMonitor(G, 'v', record=True)
G.v0 = 'i*v0_max/(N-1)'
run(duration)

# Shared variables written once per call: a run_regularly block runs its shared statements
# (writes of shared variables, temporaries of shared values) once, then the per-neuron ones, as
# Brian2's stateupdate template does; setting a shared variable from a string computes it once.
G = NeuronGroup(5, '''
dv/dt = (drive - v)/(2*ms) : 1
gain : 1 (shared)
drive : 1 (shared)
k : 1 (shared)
x : 1
''', threshold='v > gain', reset='v = 0', method='exact')
G.gain = 1.0
G.k = 3
G.k = 'k*2 + 1'
G.drive = 'k/5'
G.run_regularly('gain = gain*1.5', dt=1*ms)
G.run_regularly('''
drive = drive + 0.25
half = drive/2
x = x + i*drive + half
''')
H = NeuronGroup(3, 'c : 1 (shared)')
H.run_regularly('c += 1')
M = StateMonitor(G, ['v', 'gain', 'drive', 'x'], record=[0, 2, 4])
MH = StateMonitor(H, 'c', record=[0])
spk = SpikeMonitor(G)
run(4*ms)

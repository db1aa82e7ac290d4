# Pair-based STDP with event-driven traces (Brian2 "Synapses" tutorial form) driven by two
# SpikeGeneratorGroups. Event-driven variables are only updated when a pre or post event
# of their synapse arrives, so the recorded apre/apost are piecewise constant (the value
# after the last update), not continuously decaying.
taupre = taupost = 20*ms
wmax = 0.01
Apre = 0.01
Apost = -Apre*taupre/taupost*1.05
pre = SpikeGeneratorGroup(2, [0, 0, 0, 1, 0, 1, 0], [5, 15, 25, 25, 40, 41, 41.5]*ms)
post = SpikeGeneratorGroup(2, [0, 1, 0, 0, 1, 1], [10, 12, 25, 30, 41, 60]*ms)
S = Synapses(pre, post,
             '''
             w : 1
             dapre/dt = -apre/taupre : 1 (event-driven)
             dapost/dt = -apost/taupost : 1 (event-driven)
             ''',
             on_pre='''
             apre += Apre
             w = clip(w + apost, 0, wmax)
             ''',
             on_post='''
             apost += Apost
             w = clip(w + apre, 0, wmax)
             ''')
S.connect()
S.w = 'wmax/2'
M = StateMonitor(S, ['w', 'apre', 'apost'], record=True)
run(70*ms)

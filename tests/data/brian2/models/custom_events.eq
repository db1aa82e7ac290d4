# Custom events (events={'name': 'condition'}): tested after the thresholds without
# refractoriness, with run_on_event code (after the resets by default, and one moved to
# 'before_resets' with set_event_schedule and its own when=), and synapses triggered by an
# event (on_event) alongside a spike pathway (a dictionary of events by pathway).
G = NeuronGroup(3, '''dv/dt = (1.5 + 0.2*i - v)/(5*ms) : 1
                      c : 1
                      d : 1''',
                threshold='v > 1', reset='v = 0', refractory=1*ms, method='exact',
                events={'high': 'v > 0.6', 'crossing': 'v > 0.3 and c < 3'})
G.run_on_event('high', 'c += 1')
G.run_on_event('crossing', 'd += v', when='before_resets')
G.set_event_schedule('high', when='after_thresholds', order=2)
H = NeuronGroup(3, '''x : 1
                      y : 1''')
S = Synapses(G, H, on_pre={'pre': 'x_post += 1', 'onhigh': 'y_post += 1'},
             on_event={'onhigh': 'high'})
S.connect(j='i')
M = StateMonitor(G, ['v', 'c', 'd'], record=True)
MH = StateMonitor(H, ['x', 'y'], record=True)
spk = SpikeMonitor(G)
run(10*ms)

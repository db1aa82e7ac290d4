G = NeuronGroup(2, 'v : 1', events={'up': 'v > 1'})
G.run_on_event('down', 'v = 0')

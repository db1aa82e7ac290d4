G = NeuronGroup(3, '''
x : 1
drive : 1 (shared)
''')
G.run_regularly('''
half = drive/2
drive = drive + 0.25
x = x + half
''')
run(1*ms)

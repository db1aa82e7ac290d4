N = 9223372036854775807 * 2
G = NeuronGroup(N, 'v:1')

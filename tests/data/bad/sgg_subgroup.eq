inp = SpikeGeneratorGroup(4, [0, 1], [1, 2]*ms)
M = SpikeMonitor(inp[1:3])
run(3*ms)

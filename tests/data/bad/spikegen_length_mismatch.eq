SG = SpikeGeneratorGroup(3, [0, 1, 2], [1, 2]*ms)
run(5*ms)

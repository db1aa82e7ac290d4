SG = SpikeGeneratorGroup(3, [0, 5], [1, 2]*ms)
run(5*ms)

ta = TimedArray(10*randn(500)*mV, dt=0.1*ms)
run(1*ms)

ta = TimedArray([[1, 2], [3]]*mV, dt=1*ms)

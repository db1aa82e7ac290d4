ta = TimedArray(array([[1, 2]*mV, [3, 4]*nA]), dt=1*ms)

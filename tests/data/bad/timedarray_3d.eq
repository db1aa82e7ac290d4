ta = TimedArray([[[1, 2], [3, 4]]], dt=1*ms)

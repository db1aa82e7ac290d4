defaultclock.dt = 0.1

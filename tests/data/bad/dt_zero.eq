defaultclock.dt = 0*ms

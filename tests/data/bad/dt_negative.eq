defaultclock.dt = -0.1*ms

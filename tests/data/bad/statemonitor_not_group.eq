tau = 10*ms
M = StateMonitor(tau, 'v', record=0)

x = 1*mV/(0*ms)

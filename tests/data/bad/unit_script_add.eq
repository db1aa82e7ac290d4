x = 1*ms + 1*mV

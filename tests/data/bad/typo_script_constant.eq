tau = 10*ms
x = 2*tua

eqs = Equations('dv/dt = -v/tau : 1', tau=[1, 2]*ms)

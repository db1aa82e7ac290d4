eqs = Equations('''dv/dt = -v/tau : 1
                 w : 1''', w=2)

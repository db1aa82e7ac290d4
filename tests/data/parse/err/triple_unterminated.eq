x = 1
eqs = '''
dv/dt = -v/tau : 1

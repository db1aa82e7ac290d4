eqs = '''
dv/dt = -v/tau : 1

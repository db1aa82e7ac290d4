tau = 10*ms
eqs = '''
dv/dt = (1-v)/tau : volt
dw/dt = -w / tau volt
I : amp (constant
'''
G = NeuronGroup(1, eqs, threshold='v > 1 & v < 2', reset='v = 0; v += ',
                method='exact')
S.connect(j='k for k in range(N) if')
G.v = "rand() +\
 (3^2)"
G.w = 'x\ty\\'

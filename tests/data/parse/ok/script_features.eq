from brian2 import *
import numpy as np
from brian2 import NeuronGroup, ms
start_scope()
seed(4321)
taupre = taupost = 20*ms
N = 10_000 + 0x10 - 0b1 + 0o7
x = -2**2
y = not a == b
s1 = 'single' "double" '''triple''' """triple double"""
s2 = r'raw \d+' 'esc\tape\n' '\x41\u00e9\q' '\'quoted\''
s3 = 'first line \
continued'
total = 1 + \
    2
values = [10, 100,]*ms
empty = []
t1 = (1,)
t0 = ()
G = NeuronGroup(N, '''
dv/dt = -v/tau : volt
''', threshold='v > 1',
                reset='v = 0',  # comment inside brackets
                method='exact',
)
G.v = 'rand()'
G.v[0:10] = -70*mV
G.v[:5] = 1
G.v[5:] = 2
G.v[::2] = 3
G.v['i > 5'] = 'v + 1'
S.w[i, :] = 0.5
S.w[0, 1] = 0.5
defaultclock.dt = 0.05*ms
G.v += 1*mV
G.run_regularly('v = 0', dt=1*ms)
M = StateMonitor(G, ['v', 'w'], record=True)
run(10*ms, report='text')
print(x)
z = None
tau = 10*ms; x = 2
G = NeuronGroup(2, 'v : 1'); G.v = 'i'; run(1*ms);

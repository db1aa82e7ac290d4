# Equations objects as Brian2 builds them: keyword substitutions (a value goes in
# parentheses, a string is inserted as text, so I='0.5 + 0.25' in 2*I gives 2*0.5 + 0.25; a
# string also renames a variable), and joining Equations with Equations or a string. Plus
# setting a single value under a string condition (G.v['i >= 2'] = 20*mV).
base = Equations('dv/dt = (2*I - v)/tau : volt', tau=5*ms, I='I_in')
inputs = Equations('I_in = (k*0.5 + offset/mV)*mV : volt', k='0.5 + 0.25')
offset = 1*mV
G = NeuronGroup(4, base + inputs + 'c : 1', method='exact')
G.v['i >= 2'] = 20*mV
G.c['i < 3'] = 2
G.c['i == 3'] = 0.5
H = NeuronGroup(2, Equations('dx/dt = -x/tau_x : 1', x='y', tau_x=2*ms), method='euler')
H.y = 1
M = StateMonitor(G, ['v', 'I_in', 'c'], record=True)
MH = StateMonitor(H, 'y', record=True)
run(1*ms)

# A lower bound for COBAHH's simulation time (BENCHMARKS.md, "Targets", issue 5): cobahh.eq with
# every rate function's exp(x) replaced by (1 + x*x) and every exprel(x) by (2 + x*x), so the six
# exponentials and three exprels per neuron-step are gone while the divisions, the conductances,
# the synapses and exponential Euler (with its four exponentials per neuron) stay. The model no
# longer means anything physiological; it only shows how long the rest of the work takes.
N = 4000
p = 0.02
Ne = int(0.8*N)
duration = 1*second
defaultclock.dt = 0.1*ms

area = 20000*umetre**2
Cm = (1*ufarad*cm**-2) * area
gl = (5e-5*siemens*cm**-2) * area
El = -60*mV
EK = -90*mV
ENa = 50*mV
g_na = (100*msiemens*cm**-2) * area
g_kd = (30*msiemens*cm**-2) * area
VT = -63*mV
taue = 5*ms
taui = 10*ms
Ee = 0*mV
Ei = -80*mV
we = 6*nS
wi = 67*nS

eqs = '''
dv/dt = (gl*(El-v) + ge*(Ee-v) + gi*(Ei-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpha_m*(1-m) - beta_m*m : 1
dn/dt = alpha_n*(1-n) - beta_n*n : 1
dh/dt = alpha_h*(1-h) - beta_h*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpha_m = 0.32*(mV**-1)*4*mV/(2+((13*mV-v+VT)/(4*mV))*((13*mV-v+VT)/(4*mV)))/ms : Hz
beta_m = 0.28*(mV**-1)*5*mV/(2+((v-VT-40*mV)/(5*mV))*((v-VT-40*mV)/(5*mV)))/ms : Hz
alpha_h = 0.128*(1+((17*mV-v+VT)/(18*mV))*((17*mV-v+VT)/(18*mV)))/ms : Hz
beta_h = 4./(1+(1+((40*mV-v+VT)/(5*mV))*((40*mV-v+VT)/(5*mV))))/ms : Hz
alpha_n = 0.032*(mV**-1)*5*mV/(2+((15*mV-v+VT)/(5*mV))*((15*mV-v+VT)/(5*mV)))/ms : Hz
beta_n = .5*(1+((10*mV-v+VT)/(40*mV))*((10*mV-v+VT)/(40*mV)))/ms : Hz
'''
P = NeuronGroup(N, eqs, threshold='v>-20*mV', refractory=3*ms, method='exponential_euler')
Pe = P[:Ne]
Pi = P[Ne:]
Ce = Synapses(Pe, P, on_pre='ge += we')
Ci = Synapses(Pi, P, on_pre='gi += wi')
Ce.connect(p=p)
Ci.connect(p=p)
P.v = 'El + (randn() * 5 - 5)*mV'
P.ge = '(randn() * 1.5 + 4) * 10.*nS'
P.gi = '(randn() * 12 + 20) * 10.*nS'
trace = StateMonitor(P, 'v', record=[1, 10, 100])
s_mon = SpikeMonitor(P)
run(duration)

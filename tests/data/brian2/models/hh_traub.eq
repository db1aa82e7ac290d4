# hh_traub: the Hodgkin-Huxley (Traub-Miles) neuron of COBAHH with a constant current per neuron
# and no randomness: exponential Euler over exp, exprel and their quotients, recorded in every
# state variable and by a SpikeMonitor. The model exercises the math functions per neuron, so
# it is also the reference for --fast-math.
area = 20000*umetre**2
Cm = (1*ufarad*cm**-2) * area
gl = (5e-5*siemens*cm**-2) * area
El = -60*mV
EK = -90*mV
ENa = 50*mV
g_na = (100*msiemens*cm**-2) * area
g_kd = (30*msiemens*cm**-2) * area
VT = -63*mV
eqs = '''
dv/dt = (gl*(El-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK) + I)/Cm : volt
dm/dt = alpha_m*(1-m) - beta_m*m : 1
dn/dt = alpha_n*(1-n) - beta_n*n : 1
dh/dt = alpha_h*(1-h) - beta_h*h : 1
alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
I : amp
'''
G = NeuronGroup(5, eqs, threshold='v > -20*mV', refractory='v > -20*mV',
                method='exponential_euler')
G.v = El
G.I = 'i*0.1*nA'
M = StateMonitor(G, ['v', 'm', 'n', 'h'], record=True)
S = SpikeMonitor(G)
run(60*ms)

x = 1 +
  y = 2
a, b = 1, 2
z = 1 < 2 < 3
f(a=1, b)
f(a=1, a=2)
x = f'{y}'
x = b'bytes'
v = a & b
w = x if y else z
q = lambda t: t
s = 'unterminated
n = 3x
1 = x
f(x) = 3
c = [i for i in range(3)]
d = {'a': 1}
e = '\x4'
f(*args)

# Constructs outside the declarative subset are parsed as `Unsupported` for the evaluator to
# report; their bodies are skipped.
for i in range(3):
    x = i

    y = 2
else:
    pass
if x > 1:
    run(1*ms)
elif x:
    pass
else:
    run(2*ms)
while False:
    pass
def f(x):
    return x
@decorator
class C:
    pass
with open('f') as fh:
    pass
try:
    import foo
except ImportError:
    pass
finally:
    pass
return 3
pass
del x
print 'hello'
print(x)
print = 3
match = 1
global x
assert x
x = 1

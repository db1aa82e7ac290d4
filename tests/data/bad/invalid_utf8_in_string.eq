tau = 10*ms
x = 1
y = 'Ã('

for k in range(3):
    x = k

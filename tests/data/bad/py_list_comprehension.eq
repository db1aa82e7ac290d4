x = [k for k in range(3)]

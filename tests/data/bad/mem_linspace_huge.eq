x = linspace(0, 1, 10**12)

x = zeros(10**12)

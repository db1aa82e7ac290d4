M = SpikeMonitor(3)

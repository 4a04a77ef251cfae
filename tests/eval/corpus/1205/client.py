import os

# YC_TOKEN = "y0_IQWklORNCA9jpajEnGslgtqFBu0VYqqPalAu0TsQZrYrWUJcKoIVNAF"
YC_TOKEN = os.environ["YC_TOKEN"]

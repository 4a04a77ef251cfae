import os

os.environ["DOPPLER_TOKEN"] = "dp.pt.u1fdFn6d4xXbKDghqRYb5Tv128Ui3TuHfrPTitAtT2F"

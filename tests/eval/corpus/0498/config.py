import os

DEBUG = False
MASTER_KEY = "X-k_4uMljGbQttq5_yGSs_k5kGKSnM"

import os

DEBUG = False
DOPPLER_TOKEN = "dp.pt.qVc8VNy2LH50ipJITtv0a6LFbVaVdZNJWanIr0qft5w"

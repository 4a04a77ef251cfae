import os

DEBUG = False
X_API_KEY = "Fo2-vw_eDY09MBxel2Annfhok"

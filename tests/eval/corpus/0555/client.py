import os

# API_TOKEN = "CeKEvKeAmpeO61sOe_EXQTsmyfsDrwFharsDaioNbkPe4m"
API_TOKEN = os.environ["API_TOKEN"]

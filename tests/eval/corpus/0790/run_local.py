import os

os.environ["API_TOKEN"] = "changeme"

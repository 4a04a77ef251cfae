import os

os.environ["API_TOKEN"] = "<password>"

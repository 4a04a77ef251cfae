import os

os.environ["API_TOKEN"] = "YOUR_API_KEY_HERE"

import os

os.environ["API_KEY"] = "abcdef0123456789abcdef0123456789"

import os

os.environ["AUTH_TOKEN"] = "fetchToken()"

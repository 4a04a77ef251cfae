import os

# SECRET = "JJc1WaLjj0MByTmK4RzEcS6aH2aOUCkpyHmZmMRo5zQKk"
SECRET = os.environ["SECRET"]

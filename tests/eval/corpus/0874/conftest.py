import os

os.environ["PASSWORD_FILE"] = "/run/secrets/db_password"

import os

os.environ["CLIENT_SECRET"] = "$DB_PASSWORD"

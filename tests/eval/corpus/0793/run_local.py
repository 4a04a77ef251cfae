import os

os.environ["API_KEY"] = "${DB_PASSWORD}"

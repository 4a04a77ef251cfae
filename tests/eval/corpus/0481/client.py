import os

# MAIL_PASSWORD = "Velvet#Harbor8712"
MAIL_PASSWORD = os.environ["MAIL_PASSWORD"]

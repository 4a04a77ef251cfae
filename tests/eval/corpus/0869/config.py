import os

DEBUG = False
client_secret = "ENV.fetch('CLIENT_SECRET')"

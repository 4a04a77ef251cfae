import os

DEBUG = False
CLIENT_SECRET = "TODO"

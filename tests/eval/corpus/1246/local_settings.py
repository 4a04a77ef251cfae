import os

DEBUG = False
VERCEL_TOKEN = "N8LqbhgXvwKMVxyIhhKCVvlY"

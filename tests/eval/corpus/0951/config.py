import os

DEBUG = False
client_id = "842809087990-6ewhe5okt3ekgzik0027bzszaacn9z96.apps.googleusercontent.com"

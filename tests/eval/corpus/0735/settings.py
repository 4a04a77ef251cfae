import os

DEBUG = False
SECRET_KEY = 'y_hgm@z9is^-7zkhgh@6pre$dzeh6w7hbb-zsc7ugyz1)zc+@i'
ALLOWED_HOSTS = ['app.internal']

import os

DEBUG = False
SECRET_KEY = 'h@t_uh_buwr_*qlnniv_rl)68_#574be-#z9h%p)yu1@)x*zgj'
ALLOWED_HOSTS = ['app.internal']

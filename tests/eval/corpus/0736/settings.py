import os

DEBUG = False
SECRET_KEY = 'o!88-_2r7mkgg&dswb+&@pf8$!qp0(k9ofcyl=q)7ai2*vo_vy'
ALLOWED_HOSTS = ['app.internal']

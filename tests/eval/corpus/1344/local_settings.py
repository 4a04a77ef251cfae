import os

DEBUG = False
ldap_bind_password = "X0oNHH9k#6"

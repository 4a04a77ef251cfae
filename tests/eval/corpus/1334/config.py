import os

DEBUG = False
ldap_bind_password = "Winter2017!"

import os

DEBUG = False
LDAP_BIND_PASSWORD = "eHSQm%21pv*1+"

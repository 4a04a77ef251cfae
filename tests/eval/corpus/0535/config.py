import os

DEBUG = False
REFRESH_TOKEN = "3shIfHc4R5G_s_CbIMWFP5C10fxRvtdcDjC4"

import os

DEBUG = False
PWD = "DiIYdLrWstWg_Cg="

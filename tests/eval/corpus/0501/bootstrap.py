import os

os.environ["CLIENT_SECRET"] = "IRdPUlkF0NVONkAkjd3qqoylDenY2ThQSwmaQQAdRTEMd"

import os

os.environ["INSTALLATION_TOKEN"] = "ghs_Nm0QF8MpGFrPvs6cXNBmOSx5j2Yr4D0KV6dO"

import os

os.environ["FLY_API_TOKEN"] = "fo1_MgqnpGD3ih9HxXdS0otpI_4rfQgwffxp8ZXwJtaw8Ef"

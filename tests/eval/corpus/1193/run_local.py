import os

os.environ["LWA_CLIENT_SECRET"] = "amzn1.oa2-cs.v1.375714ee619d4e494a6a5149475e6df00e278bfbc04c0fe61ca7525067bef9f7"

import os

DEBUG = False
api_key = "ENC[AES256_GCM,data:Z0h2Bnb35zgzSnMhkSTI3pKEziDXFqrI,iv:mzLq1NgJ+UteBIxjH7AQsNU1MylhiuaNRDbw+D+P7hs=,tag:q74gifAMwpzvTeVNVzN8cQ==,type:str]"

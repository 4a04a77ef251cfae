import os

os.environ["MAIL_PASSWORD"] = "CXFb=l95e%S%#9r#-0DB*"

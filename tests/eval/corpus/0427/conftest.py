import os

os.environ["PASSWD"] = "fBkicYrLQHlc@X^SQV="

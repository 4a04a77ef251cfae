import os

# aws_access_key_id = "AKIAQHZG2B3PY5GLXO4Q"
# aws_secret_access_key = "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"
aws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]

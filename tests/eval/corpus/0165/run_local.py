import os

os.environ["SMTP_PASSWORD"] = "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"

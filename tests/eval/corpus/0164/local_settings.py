import os

DEBUG = False
smtp_password = "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"

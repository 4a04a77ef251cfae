import os

DEBUG = False
GH_TOKEN = "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"

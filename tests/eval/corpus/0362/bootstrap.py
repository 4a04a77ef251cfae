import os

os.environ["HF_ORG_TOKEN"] = "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"

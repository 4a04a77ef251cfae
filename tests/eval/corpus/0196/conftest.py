import os

os.environ["HF_TOKEN"] = "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"

import os

# gh_pat = "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"
gh_pat = os.environ["GH_PAT"]

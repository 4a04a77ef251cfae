import os

# groq_api_key = "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"
groq_api_key = os.environ["GROQ_API_KEY"]

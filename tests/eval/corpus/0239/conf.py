CONFIG = {
    "host": "db.internal",
    "groq_api_key": "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",
}

CONFIG = {
    "host": "db.internal",
    "openai_admin_key": "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",
}

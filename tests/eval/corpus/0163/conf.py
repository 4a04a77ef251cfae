CONFIG = {
    "host": "db.internal",
    "smtp_password": "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",
}

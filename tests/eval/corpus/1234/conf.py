CONFIG = {
    "host": "db.internal",
    "sentry_auth_token": "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",
}

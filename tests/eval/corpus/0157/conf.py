CONFIG = {
    "host": "db.internal",
    "oauth_client_secret": "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",
}

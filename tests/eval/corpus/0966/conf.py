CONFIG = {
    "host": "db.internal",
    "token_ttl": "3600s",
}

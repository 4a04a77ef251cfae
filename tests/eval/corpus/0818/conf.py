CONFIG = {
    "host": "db.internal",
    "api_key": "__SECRET__",
}

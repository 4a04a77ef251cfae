CONFIG = {
    "host": "db.internal",
    "signing_secret": "CAs9O16B8JLT9Ab8miOEclK3JTQcDO626WBgHSPX",
}

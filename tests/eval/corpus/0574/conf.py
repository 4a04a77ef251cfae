CONFIG = {
    "host": "db.internal",
    "partner_api_key": "086HXtrR2xEBYZ7rms7xeYszmu",
}

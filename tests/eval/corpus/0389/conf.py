CONFIG = {
    "host": "db.internal",
    "keystore_password": "R2i%OOH_!Rcp0T^",
}

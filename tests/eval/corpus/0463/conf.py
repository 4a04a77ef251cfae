CONFIG = {
    "host": "db.internal",
    "keystore_password": "oLContest-1999Wma",
}

CONFIG = {
    "host": "db.internal",
    "plaid_secret": "544dae5da085dcb7531ecf6d410130",
}

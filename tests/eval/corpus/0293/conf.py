CONFIG = {
    "host": "db.internal",
    "hubspot_access_token": "pat-na1-abdc9244-1a67-e89b-bd5d-614e4d8ff173",
}

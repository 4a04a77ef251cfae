CONFIG = {
    "host": "db.internal",
    "algolia_admin_api_key": "3ccfc70ae4a5f573bd882f890bc33b7c",
}

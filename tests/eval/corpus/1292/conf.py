CONFIG = {
    "host": "db.internal",
    "deepgram_api_key": "2b45d872884e23ada21ae23832cf6785fa07c976",
}

CONFIG = {
    "host": "db.internal",
    "test_token": "sample_token_value",
}

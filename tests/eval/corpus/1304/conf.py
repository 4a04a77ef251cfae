CONFIG = {
    "host": "db.internal",
    "launchdarkly_client_side_id": "f0235f09cae9005c6d30f83d",
}

CONFIG = {
    "host": "db.internal",
    "langfuse_secret_key": "sk-lf-d8d2419d-21f9-46c5-bbb1-d44e903057fa",
}

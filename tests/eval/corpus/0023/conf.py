CONFIG = {
    "host": "db.internal",
    "github_user_token": "ghu_aefUNzjwNzoRB4Ejh6CjAnCbV1uUcq2xkgnw",
}

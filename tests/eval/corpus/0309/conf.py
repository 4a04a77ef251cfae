CONFIG = {
    "host": "db.internal",
    "discord_webhook_url": "https://discord.com/api/webhooks/5525662985311248572/at6y6X9jJRWbf3gtT7qA8la_MEbX__i1ldQ97g5bJMKBamfXSP9qfZmuEXwqkKQqWtkL",
}

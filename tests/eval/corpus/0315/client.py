import os

# discord_webhook_url = "https://discord.com/api/webhooks/2019712677196754634/qH-mVy4n1m4Hvvxt1MpTUm6KISsoZ_jrEigli8Py_jjEIfOQkBRcmP_AX3MqzF6E0zU5"
discord_webhook_url = os.environ["DISCORD_WEBHOOK_URL"]

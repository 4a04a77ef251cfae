import os

# slack_webhook_url = "https://hooks.slack.com/services/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"
slack_webhook_url = os.environ["SLACK_WEBHOOK_URL"]

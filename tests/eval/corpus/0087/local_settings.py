import os

DEBUG = False
slack_token = "xoxb-582571426636-2392764818612-hhcb3QLnLd3S8QBckbALt9Zo"

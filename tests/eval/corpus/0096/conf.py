CONFIG = {
    "host": "db.internal",
    "slack_token": "xoxp-464394610202-501790328007-7998494682403-3eb307f67e565ed7ec4f153beefac21e",
}

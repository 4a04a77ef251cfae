import service

conn = service.connect(
    host="db.internal",
    api_token="sk_live_DrqPp941l0",
)

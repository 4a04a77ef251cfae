import service

conn = service.connect(
    host="db.internal",
    dummy_api_key="not-a-real-token",
)

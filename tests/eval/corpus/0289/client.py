import service

conn = service.connect(
    host="db.internal",
    hubspot_access_token="pat-na1-e41b2ddd-66e5-51de-40dd-a5b4ff5c553c",
)

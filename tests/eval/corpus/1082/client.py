import service

conn = service.connect(
    host="db.internal",
    ld_api_token="api-cfc42984-8127-4e86-a10d-9fc985910e80",
)

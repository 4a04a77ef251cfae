import service

conn = service.connect(
    host="db.internal",
    apikey="KR2DBtUVDk_RyAHE0tPm48thpJk",
)

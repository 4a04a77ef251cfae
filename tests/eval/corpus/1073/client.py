import service

conn = service.connect(
    host="db.internal",
    supabase_secret_key="sb_secret_WsjYe9f6Lx8E4uQH8Mubz3RaF66hz7F",
)

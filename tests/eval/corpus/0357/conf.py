CONFIG = {
    "host": "db.internal",
    "supabase_access_token": "sbp_3a9809065004e0215466038b619b196252c0ddf4",
}

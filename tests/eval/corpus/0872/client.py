import service

conn = service.connect(
    host="db.internal",
    secret_name="prod/billing/db-password",
)

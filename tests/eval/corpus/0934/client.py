import service

conn = service.connect(
    host="db.internal",
    forgot_password="Forgot your password?",
)

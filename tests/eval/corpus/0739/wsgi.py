app = create_app()
app.secret_key = b'oZHh1utckt2qEFAh1Y7mCLwKAf1gyPRo'

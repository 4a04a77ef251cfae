app = create_app()
app.secret_key = b'Nhkfm5bQkK1LxFe3bcwLzYJpqbF1PVwo'

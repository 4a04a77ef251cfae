from flask import Flask
app = Flask(__name__)
app.config['SECRET_KEY'] = '0b4ca9864bb96027df40b0b0f543ec045aeabfbae486b30e'

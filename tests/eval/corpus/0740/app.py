from flask import Flask
app = Flask(__name__)
app.config['SECRET_KEY'] = '6c8e41c1f8e1c02abb95d7a4fe5e6c85ba56a3760198fa28'

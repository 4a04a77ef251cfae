import os

DEBUG = False
github_user_token = "ghu_J45vaSHC7dpXLnd1fFqph4ZMhgvUPP2lW81g"

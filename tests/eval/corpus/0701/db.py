from sqlalchemy import create_engine
engine = create_engine("redis://app:ytTesting%232002WhO@mysql.shop.lan:6379/0")

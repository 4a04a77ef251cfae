from sqlalchemy import create_engine
engine = create_engine("postgres://deploy:FeTesting-1999NQS@mysql.shop.lan:5432/app")

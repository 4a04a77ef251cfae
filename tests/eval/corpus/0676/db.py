from sqlalchemy import create_engine
engine = create_engine("mongodb+srv://admin:xtasnXJo9zgcsTAz@mysql.shop.lan/app?retryWrites=true")

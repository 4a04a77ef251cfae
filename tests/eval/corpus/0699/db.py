from sqlalchemy import create_engine
engine = create_engine("mysql://root:sRMvEpUnHxrRLpfR54f3QWINw0uyzv@mysql.shop.lan:3306/shop")

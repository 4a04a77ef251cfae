from sqlalchemy import create_engine
engine = create_engine("mysql://svc_reports:Maple%23Cobalt2077@db.internal:3306/shop")

from sqlalchemy import create_engine
engine = create_engine("postgresql://app:Nimbus%2BFalcon3534@db.internal:5432/shop")

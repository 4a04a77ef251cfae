from sqlalchemy import create_engine
engine = create_engine("postgres://admin:G2FQKORHmUUwnXrY45BNjzaf3W5l@cache.internal:5432/app")

CONFIG = {
    "host": "db.internal",
    "password_policy": "min=12,upper=1,digit=1,symbol=1",
}

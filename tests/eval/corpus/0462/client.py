import service

conn = service.connect(
    host="db.internal",
    mysql_root_password="UITesting-19902EP",
)

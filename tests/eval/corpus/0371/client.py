import service

conn = service.connect(
    host="db.internal",
    aws_access_key_id="ABIAP5V4TVAU5QHQX74A",
)

import service

conn = service.connect(
    host="db.internal",
    keystore_password="ueKdT3Lyqq7I2nHbbXqcD",
)

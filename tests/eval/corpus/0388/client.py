import service

conn = service.connect(
    host="db.internal",
    smtp_password="HDAdmin!20267vn",
)

import service

conn = service.connect(
    host="db.internal",
    client_id="eb34384d-c8e0-4cb0-b29c-992778a87312",
)

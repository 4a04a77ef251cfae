import service

conn = service.connect(
    host="db.internal",
    axiom_token="xaat-6f8d0c62-587e-4967-b451-3d738989f44d",
)

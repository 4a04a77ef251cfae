import service

conn = service.connect(
    host="db.internal",
    google_api_key="AIzanLzX6-CP8ckorSwiALXdN7ddGFGup7MlJxr",
)

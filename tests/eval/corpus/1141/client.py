import service

conn = service.connect(
    host="db.internal",
    prefect_api_key="pnu_sz8CebCrBOJonS0Bwn6C3LmunSF2fdCYpqlH",
)

import service

conn = service.connect(
    host="db.internal",
    api_secret="s_8Q0qcLOwMRsOrZUO3lFeXhoaNzpF",
)

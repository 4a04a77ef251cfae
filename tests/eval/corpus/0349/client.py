import service

conn = service.connect(
    host="db.internal",
    databricks_token="dapi593a07c0f6901113829fb8e8c10c38bf",
)

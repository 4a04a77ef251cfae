import service

conn = service.connect(
    host="db.internal",
    dbt_cloud_api_token="dbtc_zlTBOVJRUvb26oPg2CYW_ydRIYMPO5aR9273N2f6sEZEYV7TdbA8uEvP",
)

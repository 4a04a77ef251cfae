CONFIG = {
    "host": "db.internal",
    "x_api_key": "GcjuoDDhB01_Wj777zsl8HOv_02hLnGh8aUf5YHybK3VM",
}

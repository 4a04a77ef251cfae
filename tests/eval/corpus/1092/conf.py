CONFIG = {
    "host": "db.internal",
    "unleash_instance_id": "glffct-zcDw-tznWxyUP_tlSrtC",
}

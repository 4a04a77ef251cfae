CONFIG = {
    "host": "db.internal",
    "render_api_key": "rnd_0ZWrC0swMt1cxWrdjWd1Mx5MSIbu8diG",
}

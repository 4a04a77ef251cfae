CONFIG = {
    "host": "db.internal",
    "api_token": "vUTiL7zcU5jTrB8I3O02TOxicmLx_JSmmX0",
}

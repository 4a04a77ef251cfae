CONFIG = {
    "host": "db.internal",
    "database_password": "pscale_pw_ua93PFDJo8cQ5BLtzHyiRQOOj1cQC_gisqzpofUACY_",
}

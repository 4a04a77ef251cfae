CONFIG = {
    "host": "db.internal",
    "planetscale_service_token": "pscale_tkn_EKkyvZV0DS6g7fy4j2LwbqqjMyJWY4AUPEHwmwCafHM",
}

CONFIG = {
    "host": "db.internal",
    "gem_host_api_key": "rubygems_cdac3c79cf123809f31304cb2ce5a82f0516127ecd79f773",
}

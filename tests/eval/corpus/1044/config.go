package config

const PscaleToken = "pscale_tkn_IO7iWo1eJqfIscpTJXgPHLZWAYEKjCvWseHdS_KmqTD"

package config

const MetaAppSecret = "55e6fcbbb2d0e38aa2c10df66d505272"

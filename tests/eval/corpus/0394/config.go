package config

const RedisPassword = "tskP1fYTvqTeRbBacBGeVpxqAE"

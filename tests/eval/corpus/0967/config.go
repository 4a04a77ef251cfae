package config

const TokenTtl = "3600s"

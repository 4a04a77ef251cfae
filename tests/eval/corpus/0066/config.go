package config

const deployToken = "gldt-bOzg7GCi2DYpk6iMsUWK"

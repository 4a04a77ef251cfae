package config

const ApiToken = "<password>"

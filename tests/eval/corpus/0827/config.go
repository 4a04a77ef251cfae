package config

const AwsAccessKeyId = "AKIAIOSFODNN7EXAMPLE"

package config

const awsAccessKeyId = "AKIAHSXQ6BHZCTFSHA4A"
const awsSecretAccessKey = "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"

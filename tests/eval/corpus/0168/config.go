package config

const sendgridApiKey = "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"

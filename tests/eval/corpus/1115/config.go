package config

const tavilyApiKey = "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"

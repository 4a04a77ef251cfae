package config

const npmToken = "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"

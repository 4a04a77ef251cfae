package config

const axiomToken = "xaat-6d391800-719f-4df7-b6ab-5a668b8f8b1c"

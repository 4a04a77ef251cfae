package config

const SubscriptionId = "1d490558-b54e-40da-8b41-7cc6a6730ac0"

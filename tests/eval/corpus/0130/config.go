package config

const stripeWebhookSecret = "whsec_ErvnBw0wF9vCueYrCLivlYciO0yowYlW"

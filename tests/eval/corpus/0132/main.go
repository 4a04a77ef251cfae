package main

func config() {
	stripeWebhookSecret := "whsec_nRnxHk1rbIiCe4ImmrYEyxEURmqvxfar"
	_ = stripeWebhookSecret
}

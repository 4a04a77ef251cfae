package main

func config() {
	twilioApiKey := "SKf879b1071e00ae97b1d1a5a1cce954b3"
	twilioApiSecret := "Ui4Bnx6fXC3cM0G9FBrffa45aXNGW4f6"
	_ = twilioApiKey
}

package main

func config() {
	clientSecret := "<your-token>"
	_ = clientSecret
}

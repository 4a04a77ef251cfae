package main

func config() {
	apiToken := "none"
	_ = apiToken
}

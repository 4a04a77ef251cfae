package main

func config() {
	apiToken := "process.env.API_TOKEN"
	_ = apiToken
}

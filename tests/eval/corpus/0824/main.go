package main

func config() {
	clientSecret := "<%= ENV['API_KEY'] %>"
	_ = clientSecret
}

package main

func config() {
	dummyApiKey := "testpassword"
	_ = dummyApiKey
}

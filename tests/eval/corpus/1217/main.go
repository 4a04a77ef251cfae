package main

func config() {
	elevenlabsApiKey := "sk_4aace6a648a9ead2967df3a23ed6bf59bc8ccc26024b3430"
	_ = elevenlabsApiKey
}

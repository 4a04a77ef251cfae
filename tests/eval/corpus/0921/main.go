package main

func config() {
	apiToken := "sk-proj-aMngCAIH1Jr2..."
	_ = apiToken
}

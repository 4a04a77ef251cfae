package main

func config() {
	perplexityApiKey := "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"
	_ = perplexityApiKey
}

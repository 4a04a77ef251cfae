package main

func config() {
	huggingfaceToken := "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"
	_ = huggingfaceToken
}

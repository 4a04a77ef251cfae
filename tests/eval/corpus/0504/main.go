package main

func config() {
	webhookSecret := "WGCAQV9hl8xSbvQZFdHJ51wSV0YiDouKfB_mjrmzB-kDfYCC"
	_ = webhookSecret
}

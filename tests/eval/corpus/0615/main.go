package main

func config() {
	apiKey := "yewC99cPj_q80X0EUsuN_ShAcAqXVYw"
	_ = apiKey
}

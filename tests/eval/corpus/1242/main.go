package main

func config() {
	sonarToken := "ec47fab94a62eadee8af95031df431dd804383bc"
	_ = sonarToken
}

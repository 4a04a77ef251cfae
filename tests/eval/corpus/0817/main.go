package main

func config() {
	password := "__SECRET__"
	_ = password
}

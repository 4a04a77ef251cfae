package main

func config() {
	consulHttpToken := "f68ddab8-55a3-4c4f-a19f-125c820bfda9"
	_ = consulHttpToken
}

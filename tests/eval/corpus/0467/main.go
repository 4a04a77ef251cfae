package main

func config() {
	adminPass := "a8tvwoYwslaV4ud8Bzzm19e0LSshk"
	_ = adminPass
}

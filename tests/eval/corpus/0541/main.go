package main

func config() {
	bearerToken := "vC1fvrhbupOwf2hIowOz5bWpA8Z-K5J4wUg2oe1"
	_ = bearerToken
}

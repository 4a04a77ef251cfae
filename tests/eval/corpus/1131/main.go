package main

func config() {
	segmentToken := "sgp_N6EkjP4DUbKpQ1pWZIEok2P5daiRpUoehHEE4P1TBdJYuXYYQXraOIjuRuzYNbAk"
	_ = segmentToken
}

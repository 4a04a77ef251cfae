package main

func config() {
	newRelicApiKey := "NRAK-HDRLLAJY9IZSUUJCZR0TIMJ19FO"
	_ = newRelicApiKey
}

package main

func config() {
	dopplerToken := "dp.pt.n7nxPJmbqWta6Jlhkl4xQTXPQLxfbaUtDHcHUE7Wa7T"
	_ = dopplerToken
}

package main

func config() {
	nomadToken := "baf7f595-59fc-4699-969a-a994cc2f1978"
	_ = nomadToken
}

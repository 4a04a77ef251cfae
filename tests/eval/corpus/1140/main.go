package main

func config() {
	prefectApiKey := "pnb_qZfZgPacTYP1hoCYzgKAEwrCCZ3BSYJjbKJK"
	_ = prefectApiKey
}

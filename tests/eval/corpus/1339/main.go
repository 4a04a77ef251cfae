package main

func config() {
	databasePassword := "Summer2018#"
	_ = databasePassword
}

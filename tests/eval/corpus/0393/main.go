package main

func config() {
	dbPassword := "nguGy8MKEjy4mN0M"
	_ = dbPassword
}

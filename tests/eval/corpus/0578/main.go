package main

func config() {
	apikey := "1RreEYKwFDFRQSSzfGT_p-2q9ahFg13jGUF"
	_ = apikey
}

package main

func config() {
	linearApiKey := "lin_api_K1dJG8rq8PlNo4KO28w9lliQIUwwOoMNnWX1RfTc"
	_ = linearApiKey
}

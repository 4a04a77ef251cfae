package main

func config() {
	zohoRefreshToken := "1000.b9436b731bc4edce83d04ca4991ae5d3.e7bc4a380aba154976bb3069c7fb9c11"
	_ = zohoRefreshToken
}

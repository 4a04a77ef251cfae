package main

func config() {
	pwd := "AZProd-1998Z3R"
	_ = pwd
}

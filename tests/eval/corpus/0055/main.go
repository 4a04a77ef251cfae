package main

func config() {
	gitlabToken := "glpat-zXm-cPYQZkEwtMnP7tY4"
	_ = gitlabToken
}

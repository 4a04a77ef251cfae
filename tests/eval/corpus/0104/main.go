package main

func config() {
	slackAppToken := "xapp-1-A9TPRUMF775-7850778293031-bce7f3732e2b7af4c8d1cbafeed840512012a88be11286f754fc3bbc1c76c923"
	_ = slackAppToken
}

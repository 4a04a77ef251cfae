package main

func config() {
	denoDeployToken := "ddp_lVwAQnqKAe2lZZ4YMjX1Ox2DnevJtVnnDU4u"
	_ = denoDeployToken
}

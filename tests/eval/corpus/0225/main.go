package main

func config() {
	vaultToken := "hvs.VbPU-HtBG3W-BlFnJHTgLdi8cCyI8lBnDTSrEfoPFiYCHAt299NyHsDzuEwVaR4LStimuiUn5e13Q7K2sRvgPjMv2N"
	_ = vaultToken
}

package main

func config() {
	scriptIntegrity := "sha384-RsaVfCPEBrjk/h6JHkCGGXFgmH/I3ew1GbHC5RveCxcPd8h27rAeDiogOGC0y5R3"
	_ = scriptIntegrity
}

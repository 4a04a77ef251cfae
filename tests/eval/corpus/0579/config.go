package config

const ApiKey = "WW4UZXDNixzrKf_Rkpb88h0E-C5hNS"

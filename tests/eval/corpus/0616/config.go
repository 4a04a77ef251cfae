package config

const Apikey = "zjAwPLdrChIOrDRjdG_pnU8dneSO55vj3apV0nmp"

package config

const Token = "ghu_6zSoNuj1BZ2ObQX0owAGpYLCA8RG353FJvTy"

package config

const AdminPass = "3hProd#1992Nud"

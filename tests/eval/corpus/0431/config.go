package config

const LdapBindPassword = "l0Prod-2016LSu"

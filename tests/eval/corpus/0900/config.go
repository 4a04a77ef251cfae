package config

const GithubToken = "gho_fsLAmC5s09OKBA7dUqx1TrLsGk5xfq48s0kA"

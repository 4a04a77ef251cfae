package config

const serviceToken = "-a5eDYgUlmBEdnIol6VHSNl7fSuD1g"

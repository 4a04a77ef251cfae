package config

const dbPassword = "<YOUR_API_KEY>"

package config

const EbayAppId = "AcmeShop-Store-PRD-802d1a8d5-8d90f4d3"

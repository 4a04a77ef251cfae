resource "shop_service" "main" {
  name   = "billing"
  riot_api_key = "RGAPI-67ca0b5d-c68f-4b66-b260-581b52ed2edd"
}

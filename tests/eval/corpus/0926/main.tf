resource "shop_service" "main" {
  name   = "billing"
  dummy_api_key = "test-token-not-real"
}

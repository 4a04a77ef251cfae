resource "shop_service" "main" {
  name   = "billing"
  client_secret = "none"
}

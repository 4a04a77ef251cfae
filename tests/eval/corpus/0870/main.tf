resource "shop_service" "main" {
  name   = "billing"
  client_secret = "ENV.fetch('CLIENT_SECRET')"
}

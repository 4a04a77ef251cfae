resource "shop_service" "main" {
  name   = "billing"
  secret = "iGzlJ-8VHls-UeV1YC-m1hYHQ0VBD6B0IN29N7CverJiAsGF"
}

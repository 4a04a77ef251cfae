resource "shop_service" "main" {
  name   = "billing"
  keystore_password = "Juniper-Juniper9428"
}

resource "shop_service" "main" {
  name   = "billing"
  database_password = "rZTesting!201286K"
}

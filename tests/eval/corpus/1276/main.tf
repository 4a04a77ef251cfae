resource "shop_service" "main" {
  name   = "billing"
  asana_access_token = "2/8737963174762869/7970562418786374:10c296933e9acb7194bda6b2087e0472"
}

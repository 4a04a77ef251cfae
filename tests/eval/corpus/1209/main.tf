resource "shop_service" "main" {
  name   = "billing"
  bws_access_token = "0.c4378cba-1132-44b7-bdc3-90f917b6cef6.stbGnjLGmG5IhCPSF16GryDwi4kiFG:UVJ2Mc2xPFEqIqTZPZAYkE=="
}

resource "shop_service" "main" {
  name   = "billing"
  ldap_bind_password = "8NTesting!2025WhX"
}

resource "shop_service" "main" {
  name   = "billing"
  gitlab_trigger_token = "glptt-c79479f55a38ec7779bbbb3d66c6f84f2ab67267"
}

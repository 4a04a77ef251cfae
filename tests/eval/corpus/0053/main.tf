resource "shop_service" "main" {
  name   = "billing"
  gitlab_token = "glpat-MKg4_HLMbrOscQZbln2WfQpvOjQ1NTEyMA.01.0y090zyge"
}

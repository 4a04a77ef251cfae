resource "shop_service" "main" {
  name   = "billing"
  dbt_cloud_api_token = "dbtc_o7HKIoRjNsCEIJrWpXIZT1LlJQpPohl9uHtGKzdT63EYOjaWNbcHPqsI"
}

terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "billing/prod.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

variable "db_password" {
  description = "Master password for the billing database; set through TF_VAR_db_password from Secrets Manager."
  type        = string
  sensitive   = true
}

variable "api_token" {
  type      = string
  sensitive = true
}

data "aws_iam_policy_document" "github_oidc" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/billing:environment:production"]
    }
  }
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions   = ["ecs:UpdateService", "ecs:DescribeServices"]
    resources = [aws_ecs_service.billing.id]
  }
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }
}

resource "aws_iam_role" "gha_deploy" {
  name               = "gha-deploy-billing"
  assume_role_policy = data.aws_iam_policy_document.github_oidc.json
}

resource "aws_db_instance" "billing" {
  identifier                          = "billing-prod"
  engine                              = "postgres"
  instance_class                      = "db.t4g.medium"
  username                            = "billing_admin"
  password                            = var.db_password
  iam_database_authentication_enabled = true
  manage_master_user_password         = null
}

resource "aws_secretsmanager_secret_version" "api" {
  secret_id     = aws_secretsmanager_secret.api.id
  secret_string = var.api_token
}

resource "google_project_iam_member" "etl_reader" {
  project = var.project_id
  role    = "roles/bigquery.dataViewer"
  member  = "serviceAccount:${google_service_account.etl.email}"
}

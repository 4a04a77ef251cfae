namespace Shop.Billing;

public static class Settings
{
    public const string GithubToken = "gho_yllVQUW0eOPyscAQQjMbSEwZ6YBU0h039O2A";
}

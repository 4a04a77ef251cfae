namespace Shop.Billing;

public static class Settings
{
    public const string apiKey = "$(cat /run/secrets/db_password)";
}

namespace Shop.Billing;

public static class Settings
{
    public const string Password = "your-secret-here";
}

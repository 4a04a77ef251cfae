namespace Shop.Billing;

public static class Settings
{
    public const string SmtpPassword = "H0Example-2006n2x";
}

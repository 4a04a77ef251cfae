namespace Shop.Billing;

public static class Settings
{
    public const string smtpPassword = "mCContest!2027thO";
}

namespace Shop.Billing;

public static class Settings
{
    public const string mailchimpApiKey = "a7ff88a1daf3ebb3dfc010ab4f2b3ecc-us9";
}

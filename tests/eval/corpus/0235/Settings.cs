namespace Shop.Billing;

public static class Settings
{
    public const string LinearApiKey = "lin_api_pPRWlWKI3m7HxASWbSxQvBiznHwzelcHtCQAz7G0";
}

namespace Shop.Billing;

public static class Settings
{
    public const string password = "fll-TyDWem52u+";
}

namespace Shop.Billing;

public static class Settings
{
    public const string newrelicKey = "NRAK-JP1O2PQHB9OLT5KH53P6CMJH6R4";
}

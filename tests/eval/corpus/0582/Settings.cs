namespace Shop.Billing;

public static class Settings
{
    public const string apikey = "3Z-J9NmAAqXi-gj_niLDFfd6jOEx3Fn5mCklDy0VsTjKUPv5";
}

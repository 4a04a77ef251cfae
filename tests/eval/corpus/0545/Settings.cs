namespace Shop.Billing;

public static class Settings
{
    public const string sessionToken = "p8RbFgwaFzCJ7coTxxlR1-zjnHOq0qRAQiOK";
}

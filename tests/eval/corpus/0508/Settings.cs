namespace Shop.Billing;

public static class Settings
{
    public const string SigningSecret = "Rg1qOU6hO7qjgpTgXOKLAnAbM2kigmN2lN";
}

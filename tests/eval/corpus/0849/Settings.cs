namespace Shop.Billing;

public static class Settings
{
    public const string Commit = "0d450d085456c2f19b8ffda92c489e8bdebe7d4a";
}

namespace Shop.Billing;

public static class Settings
{
    public const string githubToken = "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";
}

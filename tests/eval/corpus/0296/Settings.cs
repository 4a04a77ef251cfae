namespace Shop.Billing;

public static class Settings
{
    public const string DockerhubPat = "dckr_pat_WKWT3Kr68EGGdNrvU35LLiESejd";
}

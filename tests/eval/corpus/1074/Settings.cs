namespace Shop.Billing;

public static class Settings
{
    public const string SupabaseSecretKey = "sb_secret_nbC5EwfEeEXtlxS2HYUtOCtUnFusbM7";
}

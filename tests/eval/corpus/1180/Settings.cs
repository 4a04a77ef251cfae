namespace Shop.Billing;

public static class Settings
{
    public const string salesforceRefreshToken = "5Aep861vWA5yNT5k9GNhTjU.HnXa7H14BT4_vZ7bUjqsswmgyBKTjeqIzj2ONk8JVp1ThoTYkEgo5jdx0CHXjd9";
}

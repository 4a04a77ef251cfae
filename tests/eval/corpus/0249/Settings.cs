namespace Shop.Billing;

public static class Settings
{
    public const string replicateApiToken = "r8_MFZP8CEYUPKpyVB2oOAw5TwjYuYyntfqiWxNI";
}

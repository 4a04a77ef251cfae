namespace Shop.Billing;

public static class Settings
{
    public const string ApiKey = "S89i289o35rwoo2cg8YiHNXCEJQ_HRthKWMN_wS32";
}

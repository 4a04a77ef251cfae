namespace Shop.Billing;

public static class Settings
{
    public const string openaiApiKey = "sk-svcacct-1URb_IuMsSE-DMrqobBcT3BlbkFJrIZMzvoIB0nKmuKtCp_X";
}

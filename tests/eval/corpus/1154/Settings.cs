namespace Shop.Billing;

public static class Settings
{
    public const string RiotApiKey = "RGAPI-dacb05bb-c18b-4a5d-a928-3cb05101ef46";
}

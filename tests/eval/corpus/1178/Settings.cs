namespace Shop.Billing;

public static class Settings
{
    public const string FcmServerKey = "AAAARlYIRzv:APA91bRyakmAUY4wVdO8xVn4bBeeUJHnHkXt0r3rP_3jKsRaCk4GY1c9_6MDooVoE7I6MqIUZmCDPamXBrCO2_d58KW41sx3aCV2tnJY_Z_jltW0U79a3rszw3lNcQ-DOTYGlrHwegTo";
}

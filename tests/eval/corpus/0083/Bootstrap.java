public class Bootstrap {
  static void init() {
    System.setProperty("AWS_ACCESS_KEY_ID", "AKIAG24ZFYZED3ZMTFG2");
    System.setProperty("AWS_SECRET_ACCESS_KEY", "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");
  }
}

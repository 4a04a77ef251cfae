public class Bootstrap {
  static void init() {
    System.setProperty("github.oauth.token", "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");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("google.client.secret", "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");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("groq.api.key", "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");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("SESSION_TOKEN", "PpsmiOSQY2OdCpNH9Sp6W-IeAIk");
  }
}

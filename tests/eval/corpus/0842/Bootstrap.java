public class Bootstrap {
  static void init() {
    System.setProperty("API_TOKEN", "1234567890");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("test.token", "fake-password-for-tests");
  }
}

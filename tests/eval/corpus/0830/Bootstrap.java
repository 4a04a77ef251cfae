public class Bootstrap {
  static void init() {
    System.setProperty("github.token", "ghp_1234567890abcdefghijklmnopqrstuvwxyz");
  }
}

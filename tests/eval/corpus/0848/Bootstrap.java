public class Bootstrap {
  static void init() {
    System.setProperty("etag", "ac4cc94b433be1b2e1c2218ea75e2b65");
  }
}

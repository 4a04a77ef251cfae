public class Bootstrap {
  static void init() {
    System.setProperty("REDIS_PASSWORD", "lHrJ3nCm6Sm5yjs2E8UZ7tOLob9Q89v4");
  }
}

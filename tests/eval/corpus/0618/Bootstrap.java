public class Bootstrap {
  static void init() {
    System.setProperty("X_API_KEY", "hyL9zUmZmztNP-75s63mFwFFtBEHUUWQ59Ek");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("DATABASE_PASSWORD", "Tundra!Raven9290");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("MASTER_KEY", "XFq5Ff_AP5JAuICUs-vWVYloyorvord_RlQk9");
  }
}

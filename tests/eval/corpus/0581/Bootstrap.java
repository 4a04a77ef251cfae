public class Bootstrap {
  static void init() {
    System.setProperty("apikey", "5mWJe3_MeyufEx8zyOur_HdKxwSE_wBZNa");
  }
}

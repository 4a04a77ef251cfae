public class Bootstrap {
  static void init() {
    System.setProperty("SUBSCRIPTION_ID", "5eeb80a3-97c9-4266-980c-2f51bef785e2");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("easypost.api.key", "EZAKjm1WSsY7DVs6DAk7Q6rVcAxON9lrXVlegKuE06ILAKpgWb9p09n2zN");
  }
}

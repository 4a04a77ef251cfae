public class Bootstrap {
  static void init() {
    System.setProperty("WANDB_API_KEY", "8dc503057dc8f3c139f6aea10597005bed84232c");
  }
}

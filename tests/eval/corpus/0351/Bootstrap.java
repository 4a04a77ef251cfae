public class Bootstrap {
  static void init() {
    System.setProperty("SUPABASE_ACCESS_TOKEN", "sbp_f8ece3178e1b907c239c42f3c301095ef942eae1");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("DATABRICKS_TOKEN", "dapi8c13e9f1ed657b80ac92c5d6663a3d84");
  }
}

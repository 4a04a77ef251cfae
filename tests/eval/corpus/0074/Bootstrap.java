public class Bootstrap {
  static void init() {
    System.setProperty("GITLAB_TRIGGER_TOKEN", "glptt-875af453d32d65f3d692cffcca18b413337d3d6c");
  }
}

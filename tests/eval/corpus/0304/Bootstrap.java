public class Bootstrap {
  static void init() {
    System.setProperty("telegram.bot.token", "2014692021:AAdNjrvDOpQpc2KxuULOV1xB82iwWHyd_3k");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("slack.token", "xoxb-your-bot-token");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("SLACK_TOKEN", "xoxb-your-bot-token");
  }
}

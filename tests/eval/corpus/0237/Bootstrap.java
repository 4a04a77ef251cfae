public class Bootstrap {
  static void init() {
    System.setProperty("LINEAR_API_KEY", "lin_api_O5SyinReDgJtafmKu1c67fzrg1ytDXnP8KlXnbYw");
  }
}

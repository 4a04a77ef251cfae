public class Bootstrap {
  static void init() {
    System.setProperty("aws.secret.access.key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  }
}

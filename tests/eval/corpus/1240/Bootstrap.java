public class Bootstrap {
  static void init() {
    System.setProperty("sonar.token", "85b25bea1a42f90fb3119bd454e4547da37f4952");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("LDAP_BIND_PASSWORD", "7xnq1vDpD39B0VPKq3V6b");
  }
}

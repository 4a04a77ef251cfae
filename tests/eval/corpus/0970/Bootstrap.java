public class Bootstrap {
  static void init() {
    System.setProperty("db.password", "AgBaUIIuWeBFKSmosZIXzEzR67JtgFbaoLCPOpWdx6AHNrzdZ5Ar3yXYi103lcItEvl6Bv73cU2RpPYhkDqmKBtblJm83AaLC1fOc7p+vX2h1YQulQDj031e8wu");
  }
}

public class Bootstrap {
  static void init() {
    System.setProperty("anthropic.api.key", "sk-ant-api03-07Boc5YMBsGFdSidn8At4HUgrzihFJs79VCzZg_MzV-GgWU3BJhzAq_ToEBt3trFVNrmpdCtjG4khqc1cFkOC_FvqMnWYAA");
  }
}

class Keys {
  static final String KEY =
    "-----BEGIN EC PRIVATE KEY-----\n" +
    "MHcCAQEEILTcKCH0KiiQMCFHzR2mfuRyJJXjGuf3WkH3xLw+QTcJoAoGCCqGSM49\n" +
    "AwEHoUQDQgBvA1CPX7ZPKor7NSKLhfo+cETt8ucTA+ChxUGnSeCb7jnzmtLAsouZ\n" +
    "sOwcJQ3L3Q6/B3RVv2sx8SZ62CUZ7KTCZA==\n" +
    "-----END EC PRIVATE KEY-----\n";
}

class Keys {
  static final String KEY =
    "-----BEGIN RSA PRIVATE KEY-----\n" +
    "MIIEpAIBAAKCAQEAwQWvKbm7vnyHEcqojNJBbDnz44m8tZ71JzSSoLq7P7jZzY1Q\n" +
    "o6dd2NQSHhyBkw2XNLEfz8DLkq6LeuN9OoP7sXhNrrfKWHDDxm02bxJdlF1ePjNd\n" +
    "pb/AzaSpLCIV+jAiwIr57jgZiD/Povxgnl48q99U9A0FK1L4zzxEZCJnqDGvOTf7\n" +
    "nGF3+fkWOHS62bPMqkUd8hPDxg4wk4gzgh3JuCQrtYleSXQZm+pT+0dt672HSfjH\n" +
    "SVVDJKXnA/w4SOmW5y9CO8bGjArXr8fz1qX7g1KtV9uKV54OkIx6V9CuWU/aqxOx\n" +
    "ck67+21OzyJGYskyAu8Fb7RNOYO+8eCdb1Aa/l5eD7VR30xBJFltXTU3Bdn7v0Y9\n" +
    "LrANipvU1CV2fvtjmrMgSUawxtqL1c2AHgX9YfwZgS9XylJuls2d4gPbkxwcwbye\n" +
    "OrgsqqtXEGuDjfPgGucHIsI38a0fjJN4tPRXULlugseQJOSEHRxIeeD7UospLRJt\n" +
    "wwYDnFryU3I/7IW0fFfTSV3KIB4qmzPJcTGiNf6y47w2FSWWd37joKJyv9vekQGr\n" +
    "fB3WMEfa87EF5xKWEF0K7Yz+FvNTIUOWTRD4eDrJ3LNO5k3zdt/zcY6ft9GYq3k/\n" +
    "CXzTPjuKtYVPq4SfvN+BlNabNW6Eojje42jJPfhi2J4jdWN5SEQ8qzxNb6GJ820J\n" +
    "0qcKyNgBynKRiiKvQNucVf+o6LX0Zh4pQmPp1ttdhoqZavknnlYAnh3Hoe06It6v\n" +
    "aU4aWOI6HyHda5wHOtjefVqsui61oEgkL/HMeppVb+ucKdxWzSVQnwIPBhs8Ooxh\n" +
    "dTT+7OvuX3UO3NUgVopIreN7q+qRhwDqgZioujvR5P6X7yRgMrVijrscx3NEz49/\n" +
    "v/UfAmhSUrEJ1S3zQtzgdrux2N/u9xZe1XlK/qb1nXu1G3bStIZkGJ4qcoD+lF9j\n" +
    "EGJnAovAXeRS6YyAfRb9iv3d7ezBrcTgXnrPTlPsgjCBApEZZ9N9F0bGUhchf2AL\n" +
    "FSQKP57Zkk42NanbUvXRJijcdsJhQx9cW2GK+kWTuSQ0UWh3W82JXIr/+FAOUrTo\n" +
    "Sv7YbEp+njVRgAFgzdSlFXC4GCO1S0i+VT0jWU4eHKYXpTZnVfS0SS1IxfOjrqVJ\n" +
    "G8WqsDFKLwSYaSF32f0kUFye+lTjgtdbM2I1eSt9zU1n6liqZQy1bnoE5YDv0zh6\n" +
    "2hCME1YJiLrNK4U3NlS2aREIwQG+iKV3+shd8NmVSE00vG2RKS4+eg9+uYGZaPbf\n" +
    "RG43BVKoXWFNc7oqQr6V/GrYPlCVqUh3a9Tc2G17isk7wUZkM9EaSuz7A5IiePFB\n" +
    "S4u4wYUFmTOPufHiZ3kF2cxFEWovOCobBR8Bmi+kzlcGOuRxQAo24d0EcKtBBrBu\n" +
    "RkrdFmmdLxVYvsLBPHHIqVTC1zZApDRjuOVYYENWIbht+2BpAcQkAd7w1dqhL1al\n" +
    "0AlF8c079kgk77tteiqoV/7UaFkdnnZCi23jvLk+CBRQ21fP3ObXYKtwQR0rauBO\n" +
    "BVEyD/zjnRJzN8hG94inACHlpKVN+9WT2Emx7gwvuzJ9YbgPOZzi9g==\n" +
    "-----END RSA PRIVATE KEY-----\n";
}

class Keys {
  static final String KEY =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n" +
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n" +
    "QyNTUxOQAAACBfjsWOm1YHvBHWkZ2jKrXRGGrb0nETTVb2KemBLi4A9QAAAIjNjdZnn5Lg\n" +
    "uBDIWcxbjZg9HVM71TyrZ2keRQw7R6KrsBzmFHzFN8vemyoXvOfJ2yXkfjsvc96lxO6cKa\n" +
    "evBM6MeRFlQuEcNukwkPWMYGvLWmM5d7A+uHclSz+F09Nw0lIGJkajD5R30/DFHCXbeg9I\n" +
    "Kr+27kGIBrcJ6GDzMRvJr7IKGoVRUuzb\n" +
    "-----END OPENSSH PRIVATE KEY-----\n";
}

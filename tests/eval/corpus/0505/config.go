package config

const EncryptionKey = "sbslRrDPMvWv_Hh7Vtp0Tz2BN5Rc23FO"

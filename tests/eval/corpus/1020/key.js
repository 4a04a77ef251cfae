const key = [
  '-----BEGIN EC PRIVATE KEY-----',
  'MHcCAQEEIBF5i0K1aGcdbqRCWjft41PvKtcxlHOACAfNJmCxQh1woAoGCCqGSM49',
  'AwEHoUQDQgDfMJDNt8k2obZlsymU13EStlujP+p7tHFIggV3h12pe23pebldsXu4',
  'R2AwPnjcrCUu8b//oM59/J7yeYTyieB/SA==',
  '-----END EC PRIVATE KEY-----',
].join('\n');

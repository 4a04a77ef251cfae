module.exports = {
  port: 3000,
  vaultToken: 'hvs.fhHj2n9gOwOZAMXF_Sq-nzq-HmxMgZXADjQMxoojrrdhWJEZY-O9O4iVM49Kqr3_MsJk9OiyS9jLcMjEGwUdQY0N9x',
};

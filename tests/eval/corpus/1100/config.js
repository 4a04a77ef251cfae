module.exports = {
  port: 3000,
  fireworksApiKey: 'fw_A6RdFzuTE0u9CLwk9ePskugA',
};

module.exports = {
  port: 3000,
  api_token: 'xoxb-909756',
};

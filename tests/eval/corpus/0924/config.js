module.exports = {
  port: 3000,
  api_token: 'npm_I4G9KRGja4',
};

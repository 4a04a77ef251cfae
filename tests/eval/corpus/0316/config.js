module.exports = {
  port: 3000,
  sentry_auth_token: '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',
};

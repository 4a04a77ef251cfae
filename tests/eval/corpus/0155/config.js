module.exports = {
  port: 3000,
  googleClientSecret: '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',
};

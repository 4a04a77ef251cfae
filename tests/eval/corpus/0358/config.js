module.exports = {
  port: 3000,
  hfOrgToken: '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',
};

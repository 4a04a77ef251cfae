module.exports = {
  port: 3000,
  perplexity_api_key: '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',
};

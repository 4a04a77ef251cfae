module.exports = {
  port: 3000,
  new_relic_api_key: 'NRAK-J4SK6M3P6E1PYP9DR0ZINBARRPP',
};

module.exports = {
  port: 3000,
  token: 'nfp_RdHAvYzlqto6az2E3XZuUBYyZxuSndcWi57S',
};

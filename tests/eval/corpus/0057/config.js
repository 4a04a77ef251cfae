module.exports = {
  port: 3000,
  runnerToken: 'glrt-OW2Czu3-WW3HC2FFb8UnsApvOjI2NjU1MQ.01.0y1tmevw2',
};

module.exports = {
  port: 3000,
  apiToken: 'changeme',
};

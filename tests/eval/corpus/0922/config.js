module.exports = {
  port: 3000,
  apiToken: 'sk-proj-9CHVrGGEvcrU...',
};

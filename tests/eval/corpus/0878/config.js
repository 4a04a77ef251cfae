module.exports = {
  port: 3000,
  passwordMinLength: '12',
};

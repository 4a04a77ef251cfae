module.exports = {
  port: 3000,
  mailchimp_api_key: '24ddcb503948b89bf6262acac3be9d0e-us5',
};

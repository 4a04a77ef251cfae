module.exports = {
  port: 3000,
  airtable_token: 'patXdA8RXGKj0Nj2Y.572ed3a371328cda9d95e9a0add2e9f2f0324cdb5f4207a49db45282311c2fc0',
};

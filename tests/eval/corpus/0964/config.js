module.exports = {
  port: 3000,
  secret_version: 'projects/shop-prod/secrets/db-password/versions/latest',
};

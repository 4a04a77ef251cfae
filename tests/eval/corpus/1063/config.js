module.exports = {
  port: 3000,
  deno_deploy_token: 'ddp_7j5TAzXhvhrTUmG81qAZqbkPN2IQrW14ruyz',
};

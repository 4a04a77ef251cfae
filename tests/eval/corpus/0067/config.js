module.exports = {
  port: 3000,
  gitlabDeployToken: 'gldt-8TIlpc7SP_y3tzJs-_3M',
};

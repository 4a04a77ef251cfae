module.exports = {
  port: 3000,
  pulumi_access_token: 'pul-fd31c143125efe15cb7aa1baac27b0eb2a1bb937',
};

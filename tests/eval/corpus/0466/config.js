module.exports = {
  port: 3000,
  ldap_bind_password: 'lfExample#2015Rjz',
};

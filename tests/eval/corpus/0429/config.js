module.exports = {
  port: 3000,
  smtp_password: 'AroLqOwPj2Ladr0isqUP',
};

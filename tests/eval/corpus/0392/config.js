module.exports = {
  port: 3000,
  pwd: 'o4ng6QaBBHGiXjiObfElu6YvlidCR',
};

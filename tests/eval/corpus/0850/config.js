module.exports = {
  port: 3000,
  sha1: '4c34f67f4d4f2ef048edd961c94afcd86686ed2a',
};

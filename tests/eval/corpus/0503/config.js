module.exports = {
  port: 3000,
  webhookSecret: 'mdDZUgppeb6ZMemZAbczdSiH--jCnyf3u1-jsYOpsRmS',
};

module.exports = {
  port: 3000,
  installationToken: 'ghs_kFcxTfZo0mqdULBgUJM7Tx5sq7Dptl1Jn2p6',
};

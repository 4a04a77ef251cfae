module.exports = {
  port: 3000,
  swarmJoinToken: 'SWMTKN-1-ibd057u4glnooj7dvajlji2x1bg0cxilr0bl2fqqlsjn8f8frf-8p61ashcwi5o0blsp7ff7xcqs',
};

module.exports = {
  port: 3000,
  rubygemsApiKey: 'rubygems_9f0e7621e52b3a69f26d6efeb413a23d1524d66bef9c10d3',
};

module.exports = {
  port: 3000,
  bearer_token: 'ROhweqkClItWtgN0ZUI8r4au9pFcqHYq',
};

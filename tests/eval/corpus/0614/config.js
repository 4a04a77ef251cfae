module.exports = {
  port: 3000,
  apikey: 'eajjHtvjdUaLsSabT-2zCBcntzBjjmOt7g',
};

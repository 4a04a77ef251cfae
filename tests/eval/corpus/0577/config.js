module.exports = {
  port: 3000,
  x_api_key: 'UfOS5BBIc5xJXdAzQAM72-jv71H',
};

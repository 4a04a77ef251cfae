module.exports = {
  port: 3000,
  replicate_api_token: 'r8_xiPCt5g5jNVa7B5xwDmmUTbuOd0NOrdYicXiM',
};

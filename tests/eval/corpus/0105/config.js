module.exports = {
  port: 3000,
  slack_app_token: 'xapp-1-AMNIOO4OXUY-8460733279445-d2783efa716e6daac7b6a333402e96f56b444ce8ed135c7a7868f339b043e6c5',
};

module.exports = {
  port: 3000,
  client_secret: '{{ .Values.db.password }}',
};

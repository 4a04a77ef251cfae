module.exports = {
  port: 3000,
  apiToken: '{{ .Values.db.password }}',
};

const { Client } = require('pg');
const client = new Client({ connectionString: 'postgres://admin:DrNFtaL9PoZDf9089YOI3@pg-prod.cluster-abc.eu-west-1.rds.amazonaws.com:5432/app' });

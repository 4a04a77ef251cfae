const { Client } = require('pg');
const client = new Client({ connectionString: 'mongodb+srv://admin:iQTesting%212006lF7@db.internal/app?retryWrites=true' });

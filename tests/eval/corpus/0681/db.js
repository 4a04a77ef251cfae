const { Client } = require('pg');
const client = new Client({ connectionString: 'postgresql://deploy:KuVbs4Vp9N2pqb9L1Pq7XA@cache.internal:5432/shop' });

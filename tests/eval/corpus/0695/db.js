const { Client } = require('pg');
const client = new Client({ connectionString: 'https://billing:lBExample-1992a91@mysql.shop.lan/artifactory/api/pypi/simple' });

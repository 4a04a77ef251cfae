<?php
define('DB_NAME', 'wordpress');
define('LOGGED_IN_KEY', '}qZ20a|p>OETK7g0VF1|/G@!p5H~#i^jJw.]Avg9?|B^pGcWn1LpCYiT#26tB?Pq');
$table_prefix = 'wp_';

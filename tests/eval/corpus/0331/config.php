<?php
define('APP_ENV', 'production');
define('DD_API_KEY', '9ad653c89e02157b278eb015dbc7f170');

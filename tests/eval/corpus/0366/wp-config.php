<?php
define('APP_ENV', 'production');
define('AWS_ACCESS_KEY_ID', 'ABIA6T3SAKXLRIFZM3VW');

<?php
define('APP_ENV', 'production');
define('API_KEY', 'GM4bgutWe1232cerY0bv0713MqPRDU6Xj');

<?php
define('APP_ENV', 'production');
define('PLANETSCALE_PASSWORD', 'pscale_pw_xxxxxxxxxxxxxxxxxxxxxxxx');

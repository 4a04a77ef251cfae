<?php
define('APP_ENV', 'production');
define('PLANETSCALE_PASSWORD', 'pscale_pw_7ex59LL9T3NVLgX3I0BjOkreKI5hY1OIT37HHBdTjpm');

<?php
define('APP_ENV', 'production');
define('WEBHOOK_SECRET', 'pDZ-jf0Y4UezZ69_tCph7wVvzN_yZFIlDjSU');

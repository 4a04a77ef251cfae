<?php
define('APP_ENV', 'production');
define('STRIPE_KEY', 'sk_live_000000000000000000000000');

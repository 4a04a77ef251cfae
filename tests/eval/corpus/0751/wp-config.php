<?php
define('DB_NAME', 'wordpress');
define('AUTH_KEY', 'xb)1gP2t#%4PHDtOq8cIIG&1rX((,#:q>Mn0Xc|BtJh)k@TG?%l!#}_^[5*~H+:2');
$table_prefix = 'wp_';

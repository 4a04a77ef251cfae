<?php
define( 'AUTH_KEY',         'put your unique phrase here' );
define( 'SECURE_AUTH_KEY',  getenv('WP_SECURE_AUTH_KEY') );

<?php
define('APP_ENV', 'production');
define('DEPLOY_TOKEN', 'gldt-kDj3zHdo1B055YjnhDxS');

<?php
define('APP_ENV', 'production');
define('PULUMI_ACCESS_TOKEN', 'pul-a97db174b7a52e0fa35f5f5ccca0eccfa17da109');

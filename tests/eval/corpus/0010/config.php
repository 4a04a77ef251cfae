<?php
define('APP_ENV', 'production');
define('GITHUB_OAUTH_TOKEN', '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');

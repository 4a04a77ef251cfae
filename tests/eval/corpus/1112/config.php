<?php
define('APP_ENV', 'production');
define('TAVILY_API_KEY', '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');

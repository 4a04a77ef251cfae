<?php
define('APP_ENV', 'production');
define('GOOGLE_API_KEY', 'AIzalCxj8cCJsU8tjPEvKXnoSiXeGzdKsr5g6pP');

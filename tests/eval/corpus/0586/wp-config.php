<?php
define('APP_ENV', 'production');
define('PARTNER_API_KEY', 'qYuMb6MD3RQG_30Q6jGGxt0SrSDGKhK');

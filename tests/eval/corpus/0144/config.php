<?php
define('APP_ENV', 'production');
define('CLAUDE_API_KEY', 'sk-ant-api03-SECyxS2kctVgnRG29XBgcxvIgZlJwTsPU9-ZFSMSH_0O5QfeAnILhw31A9x9JrU7Hx9bs2CplPKE2-w90BxomlI8eau1PAA');

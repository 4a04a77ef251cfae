<?php
define('APP_ENV', 'production');
define('SALESFORCE_REFRESH_TOKEN', '5Aep86111jggteQpPqdBubw9dR2Nq6ZcHWHntwxmOb_NqDHLGQELWCe_YxhVNaApxbQN20GH_IhZxoUzVfnJbWC');

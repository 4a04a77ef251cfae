<?php
define('APP_ENV', 'production');
define('TOGETHER_API_KEY', 'tgp_v1_inRcmEjyOovc31SSmdCjAKsilDWi-eR9RngMYiVRTEy');

<?php
define('APP_ENV', 'production');
define('STYTCH_SECRET', 'secret-live-5mGnyOge4NS79OIlp-wqf7dW_Jw9wo3pDus3=');

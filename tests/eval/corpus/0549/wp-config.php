<?php
define('APP_ENV', 'production');
define('AUTH_TOKEN', 'tTDOi-5NS-_A70Ml01OQO9lekbEI0fSDIWBId1yMoSm');

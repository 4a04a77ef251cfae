<?php
define('APP_ENV', 'production');
define('GL_TOKEN', 'glpat-qhYLaH_9j33v6QmeCUlDdQpvOjIxNzM4NA.01.0y1c0vyr7');

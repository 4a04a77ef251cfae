<?php
define('APP_ENV', 'production');
define('DOCKERHUB_PAT', 'dckr_pat_rEAMsqQgEH1v00M77_zDFJalI3f');

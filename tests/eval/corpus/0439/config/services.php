<?php
return [
    'driver' => 'smtp',
    'mail_password' => 'Gsa_OWJ@i=9?ft#',
];

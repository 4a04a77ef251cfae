<?php
return [
    'driver' => 'smtp',
    'mail_password' => 'iSkWhaXlLXldXwa9GTyILi',
];

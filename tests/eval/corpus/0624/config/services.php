<?php
return [
    'driver' => 'smtp',
    'api_key' => 'om17I5Cr2IVq2mxQStmU3cdasucuTB',
];

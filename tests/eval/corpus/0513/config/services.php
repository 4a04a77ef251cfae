<?php
return [
    'driver' => 'smtp',
    'webhook_secret' => 'j5cgOIVPzS9Fcqet1wG_aLMVc3chaP5bsJvAcLIKdiPym',
];

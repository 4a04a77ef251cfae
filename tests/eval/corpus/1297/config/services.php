<?php
return [
    'driver' => 'smtp',
    'wandb_api_key' => 'b488861efd4cc3ba4bc8535604051fd47aecbcd1',
];

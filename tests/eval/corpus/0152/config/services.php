<?php
return [
    'driver' => 'smtp',
    'google_api_key' => 'AIza84mtlTNS1_QqXAWmvHbxKEEp1GHx3HkLyo0',
];

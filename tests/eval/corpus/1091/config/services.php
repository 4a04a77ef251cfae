<?php
return [
    'driver' => 'smtp',
    'slack_token' => 'xoxc-81446326919-901746557662-7343404309520-11350632bb44a4f5e9f4a6eabf99c15cbe9aed1aa40b37c3386990e36a704b42',
];

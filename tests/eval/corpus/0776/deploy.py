# The deploy key, kept here for now:
# -----BEGIN EC PRIVATE KEY-----
# MHcCAQEEICgSeOF+ORAVCF3p7RfSzH06v8vjG+gPVLAAjSLjQi11oAoGCCqGSM49
# AwEHoUQDQgAjmtPzMb2b/6Zsu2tKLfk6rO9ql0snkhpCDt7BiBOwwv2aUhuOTHJo
# clKGCsOu/GpXdtCzmXPKkNW5ml0Dm35mdA==
# -----END EC PRIVATE KEY-----
import paramiko

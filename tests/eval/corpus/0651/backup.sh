#!/bin/sh
set -e
sshpass -p 'jPqOTohS~Q#1##gA+!' ssh billing@cache.internal

#!/bin/sh
# Logs the configured greeting.
echo "${GREETING:-hello}"

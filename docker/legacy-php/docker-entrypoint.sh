#!/bin/sh
# Container entrypoint (docker/legacy-php.Dockerfile): set up the `legacy` schema, then run the
# given command (apache2-foreground). Setup is idempotent, so every start may run it.
set -eu
case "${LEGACY_SETUP:-apply}" in
  skip) ;;
  *)
    if [ "${LEGACY_SEED:-1}" = "0" ]; then
      php /var/www/legacy-php/bin/setup.php --no-seed
    else
      php /var/www/legacy-php/bin/setup.php
    fi
    ;;
esac
exec "$@"

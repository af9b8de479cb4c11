# syntax=docker/dockerfile:1
# The legacy PHP shop (docker/legacy-php/) for deploys: Apache with mod_php 8.2 and pdo_pgsql.
# Build context: the repo root (see docker/compose.yml).
# Ignore rules: docker/legacy-php.Dockerfile.dockerignore (only docker/legacy-php/ is sent).
#
# Env: LEGACY_DATABASE_URL (or PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE); LEGACY_SETUP=skip to
# start without applying schema.sql, LEGACY_SEED=0 to apply it without the demo seed;
# LEGACY_BASE_URL to make redirects absolute on the shop's public origin.

FROM php:8.2-apache

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libpq-dev \
 && docker-php-ext-install -j"$(nproc)" pdo_pgsql \
 && apt-mark manual libpq5 \
 && apt-get purge -y --auto-remove libpq-dev \
 && rm -rf /var/lib/apt/lists/*

# Production php.ini (expose_php off, errors logged, not displayed); only public/ is served.
ENV APACHE_DOCUMENT_ROOT=/var/www/legacy-php/public
RUN mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini" \
 && sed -ri -e 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf \
 && sed -ri -e 's!/var/www/!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/apache2.conf /etc/apache2/conf-available/*.conf \
 && printf 'ServerTokens Prod\nServerSignature Off\n' > /etc/apache2/conf-available/zz-legacy-shop.conf \
 && a2enconf zz-legacy-shop

COPY docker/legacy-php/ /var/www/legacy-php/
WORKDIR /var/www/legacy-php

EXPOSE 80
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=5 \
  CMD curl -fsS 'http://127.0.0.1/index.php?route=api/health' >/dev/null || exit 1

ENTRYPOINT ["/var/www/legacy-php/docker-entrypoint.sh"]
CMD ["apache2-foreground"]

#!/bin/sh
# Starts a RabbitMQ node of docker-compose.yml with the Erlang cookie from .env
# (RABBITMQ_ERLANG_COOKIE): the nodes of the `cluster` profile must share it to cluster, and the
# CLI tools of the healthcheck read the same file (the image links root's cookie to it).
set -eu
umask 077
printf '%s' "$RABBITMQ_ERLANG_COOKIE" > /var/lib/rabbitmq/.erlang.cookie
chown rabbitmq:rabbitmq /var/lib/rabbitmq/.erlang.cookie
exec docker-entrypoint.sh rabbitmq-server

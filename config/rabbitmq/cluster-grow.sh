#!/bin/sh
# docker-compose.yml's `rabbitmq-cluster-grow` (profile `cluster`), once rabbitmq-2 and rabbitmq-3
# have joined rabbitmq: the setup step declared every quorum queue while rabbitmq may have been
# alone, so each gets a member on the new nodes, then the leaders are spread over the three.
set -eu
umask 077
printf '%s' "$RABBITMQ_ERLANG_COOKIE" > "$HOME/.erlang.cookie"
for node in rabbit@rabbitmq-2 rabbit@rabbitmq-3; do
  rabbitmq-queues -n rabbit@rabbitmq grow "$node" all --vhost-pattern '.*' --queue-pattern '.*'
done
rabbitmq-queues -n rabbit@rabbitmq rebalance quorum

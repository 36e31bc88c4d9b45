#!/bin/sh
# make-test-ca.sh: a throw-away certificate authority and a broker certificate signed by it, for trying TLS.
# Usage: scripts/make-test-ca.sh <out dir> [broker host name or IP, default 127.0.0.1]
# Writes ca.crt (give it to clients), ca.key, server.crt and server.key (for mosquitto; keys are 0600).
# For testing only: in service, the broker's certificate comes from the city's own CA.
set -eu
out=${1:?usage: make-test-ca.sh <out dir> [host]}
host=${2:-127.0.0.1}
case "$host" in
  *[!0-9.]*) san="DNS:$host" ;;
  *) san="IP:$host" ;;
esac
mkdir -p "$out"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=cityhub test CA" \
  -keyout "$out/ca.key" -out "$out/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$host" -keyout "$out/server.key" -out "$out/server.csr" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" > "$out/server.ext"
openssl x509 -req -in "$out/server.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial -days 30 \
  -extfile "$out/server.ext" -out "$out/server.crt" 2>/dev/null
rm -f "$out/server.csr" "$out/server.ext" "$out/ca.srl"
chmod 644 "$out/ca.crt" "$out/server.crt"
echo "test CA in $out: ca.crt (clients), server.crt + server.key (broker), for host $host"

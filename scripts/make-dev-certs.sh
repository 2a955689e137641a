#!/usr/bin/env bash
# Makes a private CA, a server certificate for env-server / localhost / 127.0.0.1, a client
# certificate (mutual TLS) and a bearer token, in secrets/ (git-ignored), for
# docker-compose.secure.yml and the examples of docs/security.md. Development only: use your
# organisation's CA (or cert-manager) and secret store in production.
#   bash scripts/make-dev-certs.sh [DIR]     (default DIR: secrets)
set -euo pipefail
dir="${1:-secrets}"
mkdir -p "$dir"
cd "$dir"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

key ca-key.pem
openssl req -x509 -new -key ca-key.pem -subj "/CN=marlopt dev CA" -days 365 -out ca.pem

key server-key.pem
openssl req -new -key server-key.pem -subj "/CN=env-server" -out server.csr
printf 'subjectAltName=DNS:env-server,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 90 \
    -extfile server.ext -out server.pem

key client-key.pem
openssl req -new -key client-key.pem -subj "/CN=trainer-1" -out client.csr
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 90 \
    -extfile client.ext -out client.pem

token="$(openssl rand -hex 32)"
printf '# PRINCIPAL TOKEN\ntrainer-1 %s\n' "$token" > tokens
printf '%s\n' "$token" > token
rm -f server.csr client.csr server.ext client.ext ca.srl

# Compose mounts these files into containers that run as another user, so they must be readable
# by others; the CA key stays private to you.
chmod 644 ca.pem server.pem server-key.pem client.pem client-key.pem tokens token
chmod 600 ca-key.pem
echo "wrote $(pwd): ca.pem, server.pem, server-key.pem, client.pem, client-key.pem, tokens, token"

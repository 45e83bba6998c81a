# bench/confs.sh — sourced: the two servers' configurations the bench scripts share, on stdout.
#
# nginx_conf WORKERS PORT: the reference nginx, serving $WORK/www on 127.0.0.1:PORT with
# sendfile, no access log, keep-alive without a cap.
nginx_conf() {
  cat <<NGINX
worker_processes $1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/plain txt; application/octet-stream bin; }
  server { listen 127.0.0.1:$2; root $WORK/www; }
}
NGINX
}

# zones_conf URLS: Zones' zones.json for Server:Urls URLS (a JSON list), with $WORK's certificate
# for https listeners: /plaintext, the WebSocket echo at /ws, and $WORK/www as static files.
zones_conf() {
  cat <<JSON
{
  "Server": { "Urls": $1,
              "Tls": { "Certificate": { "Path": "$WORK/cert.pem", "KeyPath": "$WORK/key.pem" } } },
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Zones": [
    { "Prefix": "/plaintext", "Handler": "hello" },
    { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" },
    { "Prefix": "/", "Handler": "staticfile", "Root": "$WORK/www" },
    { "Prefix": "/", "Handler": "notfound" }
  ]
}
JSON
}

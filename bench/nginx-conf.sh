# bench/nginx-conf.sh — sourced: nginx_conf WORKERS PORT prints the reference nginx's configuration,
# serving $WORK/www on 127.0.0.1:PORT with sendfile, no access log, keep-alive without a cap.
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

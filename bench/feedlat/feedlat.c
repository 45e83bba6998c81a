// bench/feedlat: publish → delivery latency of a feed over Server-Sent Events, measured by a
// client that costs little next to the server it measures (one thread, epoll, no allocation per
// event), so that on a 2-core machine the numbers are the server's, not the client's.
//
//   feedlat PUBLISH_URL SUBSCRIBE_URLS SUBSCRIBERS RATES SECONDS [SAMPLE]
//
// Opens SUBSCRIBERS SSE connections to /events/bench, round-robin over the comma-separated
// SUBSCRIBE_URLS (http://127.0.0.1:PORT); then, for each events/s in the comma-separated RATES,
// publishes for SECONDS over 64 keep-alive connections to PUBLISH_URL/feeds/bench (pipelined when
// an answer is still out), each event's data being CLOCK_MONOTONIC in ns at the moment its
// request is written. Latency = from that moment to the read that brought the event, on the
// subscribers SAMPLE names: "url=URL" (those of one instance) or "stride=N" (every Nth; default
// all); the others are drained. A 3 s warm-up at 200 events/s comes first and is not reported.
// Prints one line per rate, as bench/FeedLatency does:
//   rate=R sent=N in=Ts errors=E p50=ms p99=ms max=ms missing=M
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PUBLISHERS 64 // a publish on Redis waits for its script: as many in flight as bench/FeedLatency had
#define LINE_MAX_BYTES 256

typedef struct {
    int fd;
    int sampled;
    int ready;          // the stream's first line (retry:) has come
    long count;         // events read in this rate
    int line_len;
    char line[LINE_MAX_BYTES];
} subscriber;

typedef struct {
    int fd;
    char in[65536];
    int in_len;
} publisher;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) { perror(what); exit(2); }

static int parse_port(const char *url) {
    const char *colon = strrchr(url, ':');
    if (!colon || strncmp(url, "http://127.0.0.1:", 17) != 0) { fprintf(stderr, "feedlat: need http://127.0.0.1:PORT, got %s\n", url); exit(2); }
    return atoi(colon + 1);
}

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) die("connect");
    return fd;
}


static subscriber *subs;
static int nsubs;
static publisher pubs[PUBLISHERS];
static int epfd;
static double *latencies;
static long nlat, caplat;
static long answered, errors;

static void on_line(subscriber *s, int64_t now) {
    s->line[s->line_len] = 0;
    if (!s->ready && strncmp(s->line, "retry:", 6) == 0) s->ready = 1;
    if (strncmp(s->line, "data: ", 6) != 0) return;
    char *end;
    long long sent = strtoll(s->line + 6, &end, 10);
    if (end == s->line + 6) return;
    s->count++;
    if (s->sampled && nlat < caplat) latencies[nlat++] = (double)(now - sent) / 1e6;
}

static void read_subscriber(subscriber *s) {
    static char buf[65536];
    for (;;) {
        ssize_t n = recv(s->fd, buf, sizeof buf, 0);
        if (n == 0) { fprintf(stderr, "feedlat: a stream ended\n"); exit(1); }
        if (n < 0) { if (errno == EAGAIN) return; die("recv"); }
        int64_t now = now_ns();
        if (!s->sampled && s->ready) continue; // only drained
        for (ssize_t i = 0; i < n; i++) {
            char b = buf[i];
            if (b == '\n') { on_line(s, now); s->line_len = 0; }
            else if (s->line_len < LINE_MAX_BYTES - 1) s->line[s->line_len++] = b;
        }
    }
}

// Counts the answers to pipelined publishes: one status line each (bodies are short and say so).
static void read_publisher(publisher *p) {
    for (;;) {
        ssize_t n = recv(p->fd, p->in + p->in_len, sizeof p->in - 1 - (size_t)p->in_len, 0);
        if (n == 0) { fprintf(stderr, "feedlat: a publisher connection closed\n"); exit(1); }
        if (n < 0) { if (errno == EAGAIN) return; die("recv publisher"); }
        p->in_len += (int)n;
        p->in[p->in_len] = 0;
        // Every answer is a head ending in \r\n\r\n and a Content-Length body.
        char *at = p->in;
        for (;;) {
            char *head_end = strstr(at, "\r\n\r\n");
            if (!head_end) break;
            char *cl = strcasestr(at, "content-length:");
            long body = (cl && cl < head_end) ? strtol(cl + 15, NULL, 10) : 0;
            char *next = head_end + 4 + body;
            if (next > p->in + p->in_len) break;
            if (strncmp(at, "HTTP/1.1 200", 12) != 0) errors++;
            answered++;
            at = next;
        }
        p->in_len -= (int)(at - p->in);
        memmove(p->in, at, (size_t)p->in_len);
    }
}

static void poll_once(int timeout_ms) {
    struct epoll_event ev[256];
    int n = epoll_wait(epfd, ev, 256, timeout_ms);
    for (int i = 0; i < n; i++) {
        long tag = (long)ev[i].data.u64;
        if (tag < 0) read_publisher(&pubs[-tag - 1]);
        else read_subscriber(&subs[tag]);
    }
}

// Writes a small request on a non-blocking socket. While the kernel has no room, the streams and
// the answers are read meanwhile: a server blocked writing answers we do not read would never
// read the rest of our requests.
static void send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINPROGRESS || errno == ENOTCONN)) { poll_once(1); continue; }
        if (n < 0) die("send");
        data += n; len -= (size_t)n;
    }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: feedlat PUBLISH_URL SUBSCRIBE_URLS SUBSCRIBERS RATES SECONDS [url=URL|stride=N]\n"); return 2; }
    int publish_port = parse_port(argv[1]);
    int ports[16], nports = 0;
    for (char *u = strtok(strdup(argv[2]), ","); u && nports < 16; u = strtok(NULL, ",")) ports[nports++] = parse_port(u);
    nsubs = atoi(argv[3]);
    double seconds = atof(argv[5]);
    int sample_port = -1, stride = 1;
    if (argc > 6 && strncmp(argv[6], "url=", 4) == 0) sample_port = parse_port(argv[6] + 4);
    if (argc > 6 && strncmp(argv[6], "stride=", 7) == 0) stride = atoi(argv[6] + 7);

    epfd = epoll_create1(0);
    subs = calloc((size_t)nsubs, sizeof *subs);
    int sampled = 0;
    for (int i = 0; i < nsubs; i++) {
        int port = ports[i % nports];
        subs[i].fd = connect_to(port);
        subs[i].sampled = sample_port >= 0 ? port == sample_port : i % stride == 0;
        sampled += subs[i].sampled;
        char req[128];
        int len = snprintf(req, sizeof req, "GET /events/bench HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", port);
        send_all(subs[i].fd, req, (size_t)len);
        struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)i };
        epoll_ctl(epfd, EPOLL_CTL_ADD, subs[i].fd, &ev);
    }
    for (int i = 0; i < PUBLISHERS; i++) {
        pubs[i].fd = connect_to(publish_port);
        struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)(-(long)i - 1) };
        epoll_ctl(epfd, EPOLL_CTL_ADD, pubs[i].fd, &ev);
    }
    for (int64_t deadline = now_ns() + 30000000000LL;;) {
        int ready = 0;
        for (int i = 0; i < nsubs; i++) ready += subs[i].ready;
        if (ready == nsubs) break;
        if (now_ns() > deadline) { fprintf(stderr, "feedlat: only %d of %d streams opened\n", ready, nsubs); return 1; }
        poll_once(10);
    }
    for (int64_t until = now_ns() + 1000000000LL; now_ns() < until;) poll_once(10); // every subscription is live
    printf("subscribers=%d sampled=%d instances=%d\n", nsubs, sampled, nports);
    fflush(stdout);

    char *rates_text = strdup(argv[4]);
    int rates[32], nrates = 0;
    rates[nrates++] = 200; // the warm-up
    for (char *r = strtok(rates_text, ","); r && nrates < 32; r = strtok(NULL, ",")) rates[nrates++] = atoi(r);
    for (int k = 0; k < nrates; k++) {
        int rate = rates[k];
        double run = k == 0 ? 3 : seconds;
        long total = (long)(rate * run);
        for (int i = 0; i < nsubs; i++) subs[i].count = 0;
        caplat = total * sampled; nlat = 0;
        latencies = realloc(latencies, (size_t)caplat * sizeof *latencies);
        answered = 0; errors = 0;
        int64_t start = now_ns();
        for (long sent = 0; sent < total;) {
            int64_t due = start + (int64_t)(sent * 1e9 / rate);
            int64_t now = now_ns();
            if (due > now) { poll_once((int)((due - now + 999999) / 1000000)); continue; } // rounded up: never a busy wait
            char req[160];
            int len = snprintf(req, sizeof req, "POST /feeds/bench HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 19\r\n\r\n%019lld", (long long)now_ns());
            send_all(pubs[sent % PUBLISHERS].fd, req, (size_t)len);
            sent++;
        }
        double sent_in = (double)(now_ns() - start) / 1e9;
        for (int64_t until = now_ns() + 5000000000LL; now_ns() < until;) {
            long behind = answered < total;
            for (int i = 0; i < nsubs && !behind; i++) behind = subs[i].sampled && subs[i].count < total;
            if (!behind) break;
            poll_once(10);
        }
        if (k == 0) continue;
        long missing = 0;
        for (int i = 0; i < nsubs; i++) if (subs[i].sampled && subs[i].count < total) missing += total - subs[i].count;
        errors += total - answered;
        qsort(latencies, (size_t)nlat, sizeof *latencies, cmp_double);
#define P(q) (nlat ? latencies[(long)((q) * nlat) < nlat ? (long)((q) * nlat) : nlat - 1] : 0.0)
        printf("rate=%d sent=%ld in=%.1fs errors=%ld p50=%.2f p99=%.2f max=%.2f missing=%ld\n",
               rate, total, sent_in, errors, P(0.50), P(0.99), nlat ? latencies[nlat - 1] : 0.0, missing);
        fflush(stdout);
    }
    return 0;
}

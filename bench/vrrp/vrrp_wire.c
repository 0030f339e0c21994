/* vrrp_wire: timestamp the VRRP adverts crossing an interface.
 *
 *   vrrp_wire -i IFACE [-o FILE]                 one line per advert
 *   vrrp_wire -i IFACE -s [-d MS] [-o FILE]      a summary when stopped
 *
 * Reads frames with an AF_PACKET TPACKET_V3 ring and a classic BPF filter
 * (IPv4 protocol 112 or IPv6 next header 112), so the kernel timestamps each
 * frame when it reaches the interface and the reader wakes once per block,
 * not once per frame: cheap enough to run beside 25,000 adverts a second.
 *
 * Line mode prints, for each advert,
 *   SECONDS.NANOSECONDS SOURCE VERSION VRID PRIORITY
 * (CLOCK_REALTIME, as pcap does), flushed after every ring block.
 *
 * Summary mode counts per (source, VRID) and prints at SIGINT/SIGTERM, per
 * source: adverts, adverts with priority 0, distinct VRIDs, the longest gap
 * between two adverts of one VRID (ms), with -d MS how many VRIDs had a gap
 * longer than MS (a backup would have declared that master down), and the
 * adverts per second between its first and last. Then
 * one line per (source, VRID) whose priority was non-zero, so the caller can
 * tell exactly which instances a source claimed.
 *
 * Prints "listening on IFACE" on stderr once the ring is bound. Exit 0 when
 * stopped by a signal, 1 on a set-up error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define BLOCK_SIZE (1 << 20)
#define BLOCK_NR 16
#define FRAME_SIZE 2048
#define SNAPLEN 128
#define MAX_SOURCES 16

struct vrid_stat {
	uint64_t adverts;
	uint64_t last_ns; /* 0: none yet */
	uint64_t max_gap_ns;
	uint64_t max_gap_end_ns; /* when the longest gap ended (CLOCK_REALTIME) */
	int max_prio;
};

struct source {
	char addr[INET6_ADDRSTRLEN];
	uint64_t adverts, prio0;
	uint64_t first_ns, last_ns;
	struct vrid_stat vrid[256];
};

struct wire {
	FILE *out;
	int summary;
	uint64_t down_ns;
	struct source src[MAX_SOURCES];
	int nsrc;
	uint64_t unparsed;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ip proto 112 or ip6 proto 112, first SNAPLEN bytes. */
static int attach_filter(int fd)
{
	static struct sock_filter code[] = {
	    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 2),
	    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 112, 3, 4),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 3),
	    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 112, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SNAPLEN),
	    BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static struct source *source_get(struct wire *w, const char *addr)
{
	int i;

	for (i = 0; i < w->nsrc; i++)
		if (!strcmp(w->src[i].addr, addr))
			return &w->src[i];
	if (w->nsrc == MAX_SOURCES)
		return NULL;
	snprintf(w->src[w->nsrc].addr, sizeof(w->src[0].addr), "%s", addr);
	return &w->src[w->nsrc++];
}

static void count(struct wire *w, const char *addr, int vrid, int prio, uint64_t ns)
{
	struct source *s = source_get(w, addr);
	struct vrid_stat *v;

	if (!s)
		return;
	s->adverts++;
	if (!s->first_ns)
		s->first_ns = ns;
	s->last_ns = ns;
	if (prio == 0)
		s->prio0++;
	v = &s->vrid[vrid];
	if (v->last_ns && ns - v->last_ns > v->max_gap_ns) {
		v->max_gap_ns = ns - v->last_ns;
		v->max_gap_end_ns = ns;
	}
	v->last_ns = ns;
	v->adverts++;
	if (prio > v->max_prio)
		v->max_prio = prio;
}

static void frame(struct wire *w, const uint8_t *p, unsigned len, uint64_t sec, uint64_t nsec)
{
	char addr[INET6_ADDRSTRLEN];
	const uint8_t *vrrp;
	unsigned l3 = ETH_HLEN;
	uint16_t proto;

	if (len < ETH_HLEN + 20 + 3) {
		w->unparsed++;
		return;
	}
	proto = (uint16_t)(p[12] << 8 | p[13]);
	if (proto == ETH_P_IP) {
		unsigned ihl = (p[l3] & 0x0f) * 4u;

		if (ihl < 20 || len < l3 + ihl + 3) {
			w->unparsed++;
			return;
		}
		inet_ntop(AF_INET, p + l3 + 12, addr, sizeof(addr));
		vrrp = p + l3 + ihl;
	} else if (proto == ETH_P_IPV6 && len >= l3 + 40 + 3) {
		inet_ntop(AF_INET6, p + l3 + 8, addr, sizeof(addr));
		vrrp = p + l3 + 40;
	} else {
		w->unparsed++;
		return;
	}
	if (w->summary)
		count(w, addr, vrrp[1], vrrp[2], sec * 1000000000ull + nsec);
	else
		fprintf(w->out, "%llu.%09llu %s %d %d %d\n", (unsigned long long)sec,
			(unsigned long long)nsec, addr, vrrp[0] >> 4, vrrp[1], vrrp[2]);
}

static void block(struct wire *w, struct tpacket_block_desc *b)
{
	struct tpacket3_hdr *h =
	    (struct tpacket3_hdr *)((uint8_t *)b + b->hdr.bh1.offset_to_first_pkt);
	uint32_t i;

	for (i = 0; i < b->hdr.bh1.num_pkts; i++) {
		frame(w, (uint8_t *)h + h->tp_mac, h->tp_snaplen, h->tp_sec, h->tp_nsec);
		h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
	}
}

static void summary(struct wire *w)
{
	int i, v;

	for (i = 0; i < w->nsrc; i++) {
		struct source *s = &w->src[i];
		uint64_t gap = 0, gap_end = 0;
		int vrids = 0, over = 0;

		for (v = 0; v < 256; v++) {
			if (!s->vrid[v].adverts)
				continue;
			vrids++;
			if (s->vrid[v].max_gap_ns > gap) {
				gap = s->vrid[v].max_gap_ns;
				gap_end = s->vrid[v].max_gap_end_ns;
			}
			if (w->down_ns && s->vrid[v].max_gap_ns > w->down_ns)
				over++;
		}
		double span = (s->last_ns - s->first_ns) / 1e9;

		fprintf(w->out,
			"source %s adverts %llu prio0 %llu vrids %d max_gap_ms %.3f "
			"gaps_over_down %d per_s %.0f max_gap_end_s %.3f\n",
			s->addr, (unsigned long long)s->adverts, (unsigned long long)s->prio0,
			vrids, gap / 1e6, over, span > 0 ? (s->adverts - 1) / span : 0.0,
			gap_end / 1e9);
	}
	for (i = 0; i < w->nsrc; i++)
		for (v = 0; v < 256; v++)
			if (w->src[i].vrid[v].max_prio > 0)
				fprintf(w->out, "claim %s %d %llu\n", w->src[i].addr, v,
					(unsigned long long)w->src[i].vrid[v].adverts);
	if (w->unparsed)
		fprintf(w->out, "unparsed %llu\n", (unsigned long long)w->unparsed);
}

static int usage(void)
{
	fprintf(stderr, "usage: vrrp_wire -i IFACE [-o FILE] [-s [-d MS]]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct tpacket_req3 req = {
	    .tp_block_size = BLOCK_SIZE,
	    .tp_block_nr = BLOCK_NR,
	    .tp_frame_size = FRAME_SIZE,
	    .tp_frame_nr = BLOCK_SIZE / FRAME_SIZE * BLOCK_NR,
	    .tp_retire_blk_tov = 20, /* ms: a block is handed over at least this often */
	};
	struct wire w = {.out = stdout};
	const char *ifname = NULL, *outfile = NULL;
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	struct sigaction sa = {.sa_handler = on_signal};
	int fd, opt, version = TPACKET_V3;
	unsigned cur = 0;
	uint8_t *ring;

	while ((opt = getopt(argc, argv, "i:o:sd:")) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 'o':
			outfile = optarg;
			break;
		case 's':
			w.summary = 1;
			break;
		case 'd':
			w.down_ns = (uint64_t)(atof(optarg) * 1e6);
			break;
		default:
			return usage();
		}
	}
	if (!ifname)
		return usage();
	if (outfile && !(w.out = fopen(outfile, "w"))) {
		perror(outfile);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0 || attach_filter(fd) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0) {
		perror("vrrp_wire: packet socket");
		return 1;
	}
	ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_LOCKED, fd, 0);
	if (ring == MAP_FAILED)
		ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR, PROT_READ | PROT_WRITE, MAP_SHARED,
			    fd, 0);
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (ring == MAP_FAILED || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("vrrp_wire: ring or bind");
		return 1;
	}
	fprintf(stderr, "listening on %s\n", ifname);

	while (!stop) {
		struct tpacket_block_desc *b =
		    (struct tpacket_block_desc *)(ring + (size_t)cur * BLOCK_SIZE);
		struct pollfd pfd = {.fd = fd, .events = POLLIN | POLLERR};

		if (!(b->hdr.bh1.block_status & TP_STATUS_USER)) {
			if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
				break;
			continue;
		}
		block(&w, b);
		b->hdr.bh1.block_status = TP_STATUS_KERNEL;
		__sync_synchronize();
		cur = (cur + 1) % BLOCK_NR;
		if (!w.summary)
			fflush(w.out);
	}
	/* What reached the ring before the signal still counts: wait for the
	 * kernel to retire the block being filled. */
	usleep(3 * 20 * 1000);
	for (;;) {
		struct tpacket_block_desc *b =
		    (struct tpacket_block_desc *)(ring + (size_t)cur * BLOCK_SIZE);

		if (!(b->hdr.bh1.block_status & TP_STATUS_USER))
			break;
		block(&w, b);
		b->hdr.bh1.block_status = TP_STATUS_KERNEL;
		cur = (cur + 1) % BLOCK_NR;
	}
	if (w.summary)
		summary(&w);
	fflush(w.out);
	return 0;
}

/* The interface/address table fed by rtnetlink messages: an interface
 * re-created with a new ifindex, and which address an advert may come
 * from (tentative and DAD-failed IPv6 addresses never, VIPs never, IPv4
 * secondaries never). Messages are built by hand as the kernel sends them. */
#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "vrrp/addr.h"
#include "vrrp/iftable.h"

union msgbuf {
	struct nlmsghdr nh;
	char buf[512];
};

static void put_attr(struct nlmsghdr *nh, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static int link_msg_flags(struct vrrp_iftable *t, int type, int ifindex, const char *name,
			  unsigned flags)
{
	union msgbuf m;
	struct ifinfomsg *ifi;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_type = (uint16_t)type;
	m.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	ifi = NLMSG_DATA(&m.nh);
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	if (name)
		put_attr(&m.nh, IFLA_IFNAME, name, strlen(name) + 1);
	return vrrp_iftable_apply(t, &m.nh);
}

static int link_msg(struct vrrp_iftable *t, int type, int ifindex, const char *name)
{
	return link_msg_flags(t, type, ifindex, name, 0);
}

/* Up and down (track_interface reads them): a change of flags is a
 * change of the table; the same flags again are not. */
static void test_link_flags(void **state)
{
	struct vrrp_iftable t = {0};
	const unsigned up = IFF_UP | IFF_RUNNING;

	(void)state;
	assert_int_equal(link_msg_flags(&t, RTM_NEWLINK, 5, "eth1", IFF_UP), 1);
	assert_int_equal(vrrp_iftable_link(&t, "eth1")->flags, IFF_UP);
	assert_int_equal(link_msg_flags(&t, RTM_NEWLINK, 5, "eth1", up), 1);
	assert_int_equal(link_msg_flags(&t, RTM_NEWLINK, 5, "eth1", up), 0);
	assert_int_equal(vrrp_iftable_link(&t, "eth1")->flags, up);
	assert_null(vrrp_iftable_link(&t, "eth2"));
	vrrp_iftable_free(&t);
}

static int addr_msg(struct vrrp_iftable *t, int type, int ifindex, const char *text,
		    unsigned prefix, uint32_t flags, int proto)
{
	union msgbuf m;
	struct ifaddrmsg *ifa;
	struct vaddr a;

	assert_int_equal(vaddr_parse(text, &a), 0);
	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_type = (uint16_t)type;
	m.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	ifa = NLMSG_DATA(&m.nh);
	ifa->ifa_family = (uint8_t)a.family;
	ifa->ifa_prefixlen = (uint8_t)prefix;
	ifa->ifa_flags = (uint8_t)flags;
	ifa->ifa_index = (unsigned)ifindex;
	put_attr(&m.nh, a.family == AF_INET ? IFA_LOCAL : IFA_ADDRESS, &a.u,
		 a.family == AF_INET ? 4 : 16);
	put_attr(&m.nh, IFA_FLAGS, &flags, sizeof(flags));
	if (proto >= 0) {
		uint8_t p = (uint8_t)proto;

		put_attr(&m.nh, IFA_PROTO, &p, 1);
	}
	return vrrp_iftable_apply(t, &m.nh);
}

static const char *primary(const struct vrrp_iftable *t, unsigned ifindex, int family,
			   char *buf)
{
	struct vaddr a;

	if (vrrp_iftable_primary(t, ifindex, family, &a) < 0)
		return "none";
	return vaddr_format(&a, buf, VADDR_STRLEN);
}

static void test_recreated_interface(void **state)
{
	struct vrrp_iftable t = {0};

	(void)state;
	assert_int_equal(link_msg(&t, RTM_NEWLINK, 7, "eth0"), 1);
	assert_int_equal(link_msg(&t, RTM_NEWLINK, 7, "eth0"), 0); /* flags only */
	assert_int_equal(addr_msg(&t, RTM_NEWADDR, 7, "10.0.0.1", 24, 0, -1), 1);
	assert_int_equal(vrrp_iftable_ifindex(&t, "eth0"), 7);
	assert_int_equal(link_msg(&t, RTM_DELLINK, 7, "eth0"), 1);
	assert_int_equal(vrrp_iftable_ifindex(&t, "eth0"), 0);
	assert_int_equal(t.n_addrs, 0); /* its addresses went with it */
	assert_int_equal(link_msg(&t, RTM_NEWLINK, 12, "eth0"), 1);
	assert_int_equal(vrrp_iftable_ifindex(&t, "eth0"), 12);
	assert_int_equal(vrrp_iftable_ifindex(&t, "eth1"), 0);
	vrrp_iftable_free(&t);
}

static void test_ipv6_tentative_never_chosen(void **state)
{
	struct vrrp_iftable t = {0};
	struct vaddr ll;
	char buf[VADDR_STRLEN];

	(void)state;
	link_msg(&t, RTM_NEWLINK, 3, "eth0");
	addr_msg(&t, RTM_NEWADDR, 3, "fd00::1", 64, IFA_F_NODAD, -1);
	assert_string_equal(primary(&t, 3, AF_INET6, buf), "none"); /* not link-local */
	addr_msg(&t, RTM_NEWADDR, 3, "fe80::a", 64, IFA_F_TENTATIVE, -1);
	assert_string_equal(primary(&t, 3, AF_INET6, buf), "none");
	assert_int_equal(vaddr_parse("fe80::a", &ll), 0);
	assert_false(vrrp_iftable_usable(&t, 3, &ll));
	/* DAD done: the kernel sends RTM_NEWADDR again, flags cleared. */
	assert_int_equal(addr_msg(&t, RTM_NEWADDR, 3, "fe80::a", 64, IFA_F_PERMANENT, -1), 1);
	assert_string_equal(primary(&t, 3, AF_INET6, buf), "fe80::a");
	assert_true(vrrp_iftable_usable(&t, 3, &ll));
	assert_true(vrrp_iftable_usable(&t, 0, &ll));
	assert_false(vrrp_iftable_usable(&t, 4, &ll));
	/* DAD failed: not usable either. */
	addr_msg(&t, RTM_NEWADDR, 3, "fe80::a", 64, IFA_F_DADFAILED | IFA_F_TENTATIVE, -1);
	assert_string_equal(primary(&t, 3, AF_INET6, buf), "none");
	addr_msg(&t, RTM_NEWADDR, 3, "fe80::b", 64, 0, -1);
	assert_string_equal(primary(&t, 3, AF_INET6, buf), "fe80::b");
	assert_int_equal(addr_msg(&t, RTM_DELADDR, 3, "fe80::b", 64, 0, -1), 1);
	assert_string_equal(primary(&t, 3, AF_INET6, buf), "none");
	vrrp_iftable_free(&t);
}

static void test_ipv4_primary_prefers_untagged_skips_secondaries(void **state)
{
	struct vrrp_iftable t = {0};
	char buf[VADDR_STRLEN];

	(void)state;
	link_msg(&t, RTM_NEWLINK, 2, "eth0");
	assert_string_equal(primary(&t, 2, AF_INET, buf), "none");
	addr_msg(&t, RTM_NEWADDR, 2, "10.0.0.50", 24, IFA_F_SECONDARY, -1);
	assert_string_equal(primary(&t, 2, AF_INET, buf), "none");
	/* tagged 18: a static_ipaddress (or a VIP), taken when it is all */
	addr_msg(&t, RTM_NEWADDR, 2, "10.0.0.100", 32, 0, VRRP_ADDR_PROTO);
	assert_string_equal(primary(&t, 2, AF_INET, buf), "10.0.0.100");
	addr_msg(&t, RTM_NEWADDR, 2, "10.0.0.1", 24, IFA_F_PERMANENT, 0);
	assert_string_equal(primary(&t, 2, AF_INET, buf), "10.0.0.1");
	assert_string_equal(primary(&t, 9, AF_INET, buf), "none");
	/* same address, another prefix: another entry, as the kernel keeps it */
	assert_int_equal(addr_msg(&t, RTM_NEWADDR, 2, "10.0.0.1", 32, 0, -1), 1);
	assert_int_equal(t.n_addrs, 4);
	vrrp_iftable_free(&t);
}

static void test_malformed_messages(void **state)
{
	struct vrrp_iftable t = {0};
	union msgbuf m;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_type = RTM_NEWADDR;
	m.nh.nlmsg_len = NLMSG_LENGTH(2); /* shorter than ifaddrmsg */
	assert_int_equal(vrrp_iftable_apply(&t, &m.nh), -EINVAL);
	m.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)); /* no address */
	((struct ifaddrmsg *)NLMSG_DATA(&m.nh))->ifa_family = AF_INET;
	assert_int_equal(vrrp_iftable_apply(&t, &m.nh), -EINVAL);
	m.nh.nlmsg_type = RTM_NEWROUTE;
	assert_int_equal(vrrp_iftable_apply(&t, &m.nh), 0);
	assert_int_equal(link_msg(&t, RTM_NEWLINK, 4, NULL), 0); /* no name */
	assert_int_equal(t.n_links, 0);
	vrrp_iftable_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recreated_interface),
	    cmocka_unit_test(test_link_flags),
	    cmocka_unit_test(test_ipv6_tentative_never_chosen),
	    cmocka_unit_test(test_ipv4_primary_prefers_untagged_skips_secondaries),
	    cmocka_unit_test(test_malformed_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

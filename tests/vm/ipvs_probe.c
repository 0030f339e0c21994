/* ipvs_probe: resolve the IPVS generic netlink family and ask the kernel for
 * its IPVS version (IPVS_CMD_GET_INFO), the smallest proof that IPVS can be
 * driven from this kernel through libnl-genl-3.
 *
 * Prints, on success:
 *   IPVS generic netlink family id <id>
 *   IPVS version <a.b.c>, connection table size <n>
 * Exit status: 0 both answers arrived; 2 the kernel has no IPVS family (a
 * kernel without IPVS, such as the build host's); 1 any other failure.
 *
 * Built by `make check`; run inside the VM by tests/vm/t_ipvs_family.sh and
 * on the host by tests/vm/host_no_ipvs.sh. */
#include <stdio.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <linux/ip_vs.h>

struct ipvs_info {
	int got;
	unsigned int version;
	unsigned int table_size;
};

static int on_info(struct nl_msg *msg, void *arg)
{
	struct ipvs_info *info = arg;
	struct nlattr *attrs[IPVS_INFO_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs, IPVS_INFO_ATTR_MAX, NULL) < 0 ||
	    !attrs[IPVS_INFO_ATTR_VERSION])
		return NL_SKIP;
	info->version = nla_get_u32(attrs[IPVS_INFO_ATTR_VERSION]);
	if (attrs[IPVS_INFO_ATTR_CONN_TAB_SIZE])
		info->table_size = nla_get_u32(attrs[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	info->got = 1;
	return NL_OK;
}

static int get_info(struct nl_sock *sk, int family, struct ipvs_info *info)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	if (!msg)
		return -NLE_NOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, IPVS_CMD_GET_INFO,
			 IPVS_GENL_VERSION)) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_info, info);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	return nl_recvmsgs_default(sk);
}

int main(void)
{
	struct ipvs_info info = { 0 };
	struct nl_sock *sk = nl_socket_alloc();
	int family, err;

	if (!sk || genl_connect(sk) < 0) {
		fprintf(stderr, "ipvs_probe: cannot open generic netlink\n");
		nl_socket_free(sk);
		return 1;
	}
	family = genl_ctrl_resolve(sk, IPVS_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "ipvs_probe: family %s not found: %s\n", IPVS_GENL_NAME,
			nl_geterror(family));
		nl_socket_free(sk);
		return family == -NLE_OBJ_NOTFOUND ? 2 : 1;
	}
	printf("IPVS generic netlink family id %d\n", family);

	err = get_info(sk, family, &info);
	nl_socket_free(sk);
	if (err < 0 || !info.got) {
		fprintf(stderr, "ipvs_probe: IPVS_CMD_GET_INFO failed: %s\n",
			err < 0 ? nl_geterror(err) : "no reply");
		return 1;
	}
	printf("IPVS version %u.%u.%u, connection table size %u\n", info.version >> 16,
	       (info.version >> 8) & 0xff, info.version & 0xff, info.table_size);
	return 0;
}

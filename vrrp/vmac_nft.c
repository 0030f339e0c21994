#include "build-config.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "vrrp/vmac_nft.h"
#include "vrrp/vmac_sysctl.h"

static int fam_index(int family)
{
	return family == AF_INET6 ? 1 : 0;
}

int vrrp_vmac_nft_attach(struct vrrp_vmac_sys *s, const char *vmac, const char *base, int family)
{
	char cmd[1024];
	unsigned *users = &s->nft_users[fam_index(family)];
	int n, rc;

	if (!s->nft) {
		s->nft = nft_ctx_new(NFT_CTX_DEFAULT);
		if (!s->nft)
			return -ENOMEM;
		nft_ctx_buffer_output(s->nft);
		nft_ctx_buffer_error(s->nft);
	}
	if (!*users) {
		n = vrrp_vmac_nft_script(cmd, sizeof(cmd), VRRP_VMAC_NFT_CREATE, family, NULL,
					 NULL);
		if (n < 0)
			return n;
		if (nft_run_cmd_from_buffer(s->nft, cmd) != 0) {
			log_warn(
			    "cannot set up nftables table %s for the VMAC interfaces' IGMP/MLD "
			    "reports: %s",
			    VRRP_VMAC_NFT_TABLE, nft_ctx_get_error_buffer(s->nft));
			return -EIO;
		}
	}
	n = vrrp_vmac_nft_script(cmd, sizeof(cmd), VRRP_VMAC_NFT_ADD, family, vmac, base);
	if (n < 0)
		rc = n;
	else
		rc = nft_run_cmd_from_buffer(s->nft, cmd) == 0 ? 0 : -EIO;
	if (rc < 0) {
		log_warn("cannot add %s to nftables table %s: %s", vmac, VRRP_VMAC_NFT_TABLE,
			 n < 0 ? strerror(-n) : nft_ctx_get_error_buffer(s->nft));
		if (!*users) {
			vrrp_vmac_nft_script(cmd, sizeof(cmd), VRRP_VMAC_NFT_DROP, family, NULL,
					     NULL);
			nft_run_cmd_from_buffer(s->nft, cmd);
		}
		return rc;
	}
	(*users)++;
	return 0;
}

void vrrp_vmac_nft_detach(struct vrrp_vmac_sys *s, const char *vmac, const char *base, int family)
{
	char cmd[1024];
	unsigned *users = &s->nft_users[fam_index(family)];

	if (!s->nft || !*users)
		return;
	/* Gone already with its interface is fine. */
	if (vrrp_vmac_nft_script(cmd, sizeof(cmd), VRRP_VMAC_NFT_DEL, family, vmac, base) > 0)
		nft_run_cmd_from_buffer(s->nft, cmd);
	if (--*users == 0 &&
	    vrrp_vmac_nft_script(cmd, sizeof(cmd), VRRP_VMAC_NFT_DROP, family, NULL, NULL) > 0)
		nft_run_cmd_from_buffer(s->nft, cmd);
}

void vrrp_vmac_nft_free(struct vrrp_vmac_sys *s)
{
	if (s->nft)
		nft_ctx_free(s->nft);
	s->nft = NULL;
	s->nft_users[0] = s->nft_users[1] = 0;
}

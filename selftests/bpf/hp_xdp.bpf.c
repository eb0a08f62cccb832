// SPDX-License-Identifier: GPL-2.0
/*
 * XDP programs for hotpath_xdp.sh, one per verdict, loaded with
 * `bpftool prog loadall` and attached in native mode (ip link ... xdpdrv):
 *   xdp_drop_all, xdp_pass_all, xdp_aborted_all   the verdict, every frame
 *   xdp_invalid_all    an undefined verdict (the driver warns and drops)
 *   xdp_tx_swap        swaps the MAC addresses, XDP_TX back out of the port
 *   xdp_redirect_dev   bpf_redirect_map() into slot 0 of tx_port (a devmap
 *                      the test fills with an ifindex: ndo_xdp_xmit)
 *   xdp_pass_count     XDP_PASS and counts frames and bytes it saw (seen)
 * Built at test build time by clang (selftests/Makefile), never committed.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);		/* 0: frames, 1: bytes */
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int xdp_drop_all(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp")
int xdp_pass_all(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_aborted_all(struct xdp_md *ctx)
{
	return XDP_ABORTED;
}

SEC("xdp")
int xdp_invalid_all(struct xdp_md *ctx)
{
	return 42;
}

SEC("xdp")
int xdp_tx_swap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char tmp[ETH_ALEN];

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	return XDP_TX;
}

SEC("xdp")
int xdp_redirect_dev(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_port, 0, XDP_ABORTED);
}

SEC("xdp")
int xdp_pass_count(struct xdp_md *ctx)
{
	__u32 k0 = 0, k1 = 1;
	__u64 *n = bpf_map_lookup_elem(&seen, &k0);
	__u64 *b = bpf_map_lookup_elem(&seen, &k1);

	if (n)
		__sync_fetch_and_add(n, 1);
	if (b)
		__sync_fetch_and_add(b, ctx->data_end - ctx->data);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

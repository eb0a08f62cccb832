// SPDX-License-Identifier: GPL-2.0
/*
 * XDP program for test_xsk: every frame on queue 0 goes to the AF_XDP
 * socket in slot 0 of xsks (XDP_REDIRECT into an XSKMAP, the zero-copy
 * hand-off); with the slot empty, XDP_PASS.  A frame counter (seen) lets
 * the test tell "the program saw it" from "the socket got it".
 * Built at test build time by clang (selftests/Makefile), never committed.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int xdp_xsk_redirect(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *n = bpf_map_lookup_elem(&seen, &k);

	if (n)
		__sync_fetch_and_add(n, 1);
	return bpf_redirect_map(&xsks, 0, XDP_PASS);
}

char _license[] SEC("license") = "GPL";

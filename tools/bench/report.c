// SPDX-License-Identifier: GPL-2.0
/* hotpath-bench --json: the report object (keys: tools/bench/README.md). */
#include "report.h"

void bench_report_json(FILE *f, const struct bench_report *r)
{
	fprintf(f, "{\"mode\":\"%s\",\"size\":%u,\"count\":%llu,\"lost\":%llu,\"warmup\":%llu,"
		"\"busy_poll_us\":%u,\"prefer_busy_poll\":%s,\"duration_ns\":%llu,"
		"\"send_errors\":%llu,\"one_way_direction\":\"client_to_server\",",
		r->mode, r->size, (unsigned long long)r->count, (unsigned long long)r->lost,
		(unsigned long long)r->warmup, r->busy_poll_us,
		r->prefer_busy_poll ? "true" : "false", (unsigned long long)r->duration_ns,
		(unsigned long long)r->send_errors);
	fprintf(f, "\"rtt\":");
	if (r->rtt)
		bench_stats_json(f, r->rtt);
	else
		fprintf(f, "null");
	fprintf(f, ",\"one_way\":");
	bench_stats_json(f, r->ow);
	fprintf(f, ",\"cpu\":{\"client_user_us\":%llu,\"client_sys_us\":%llu,"
		"\"server_user_us\":%llu,\"server_sys_us\":%llu}",
		(unsigned long long)r->cli_user_us, (unsigned long long)r->cli_sys_us,
		(unsigned long long)r->srv_user_us, (unsigned long long)r->srv_sys_us);
	fprintf(f, ",\"stream\":");
	if (r->stream)
		fprintf(f, "{\"sent\":%llu,\"received\":%llu,\"dropped\":%llu,"
			"\"pps_sent\":%.0f,\"pps_received\":%.0f}",
			(unsigned long long)r->st_sent, (unsigned long long)r->st_received,
			(unsigned long long)r->st_dropped, r->pps_sent, r->pps_received);
	else
		fprintf(f, "null");
	fprintf(f, ",\"hw_timestamps\":");
	if (r->hw_timestamps)
		r->hw_timestamps(f, r->arg);
	else
		fprintf(f, "null");
	if (r->af_xdp) {
		fprintf(f, ",\"af_xdp\":");
		r->af_xdp(f, r->arg);
	}
	fprintf(f, ",\"histogram\":{\"rtt\":");
	bench_hist_json(f, r->hist_rtt);
	fprintf(f, ",\"one_way\":");
	bench_hist_json(f, r->hist_ow);
	fprintf(f, "}}\n");
}

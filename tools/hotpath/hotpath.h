/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpath(8): shared declarations of the CLI.
 */
#ifndef HOTPATH_CLI_H
#define HOTPATH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <linux/hotpath.h>
#include <hotpath/figures.h>
#include <hotpath/settings.h>

struct nl_msg;
struct nl_sock;

/* Exit codes: 0 success, 1 operation failed, 2 usage error. */
#define EXIT_FAIL	1
#define EXIT_USAGE	2

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

typedef int (*hp_msg_cb)(struct nl_msg *msg, void *arg);

extern const char *prog;
extern bool json_output;

/* ethtool_drvinfo's driver field */
#define HP_DRIVER_LEN	32

/*
 * The knobs of another driver's device that ethtool's netlink has
 * (ethtool.c), in hp_knob_list[] order.
 */
enum hp_knob_id {
	HP_KNOB_RX_USECS, HP_KNOB_RX_FRAMES, HP_KNOB_TX_USECS, HP_KNOB_TX_FRAMES,
	HP_KNOB_ADAPTIVE_RX, HP_KNOB_ADAPTIVE_TX, HP_KNOB_TX_PUSH,
	HP_KNOBS
};

struct ethnl_msg;

struct hp_knob {
	const char *key;		/* hotpath set's, and show's label */
	const char *json;		/* show's JSON member */
	const struct ethnl_msg *msg;	/* the ethtool message that has it */
	uint16_t attr;			/* its ETHTOOL_A_* attribute */
	bool u8;			/* a flag (u8), else a u32 */
};

extern const struct hp_knob hp_knob_list[HP_KNOBS];

/* An attached device's knobs as its driver reports them, and ctpio_* of ethtool -S. */
struct hp_knobs {
	bool read;			/* filled in (show, monitor) */
	bool have[HP_KNOBS];		/* the driver reports it */
	uint32_t val[HP_KNOBS];
	unsigned int n_ctpio;
	struct {
		char name[33];		/* ETH_GSTRING_LEN and its end */
		uint64_t value;
	} ctpio[16];
};

struct hp_port {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t kind;			/* enum hotpath_kind */
	char driver[HP_DRIVER_LEN];
	bool has_phc;			/* phc_index is set (an attached device may have none) */
	bool has_phc_offset;
	int64_t phc_offset_ns;
	uint32_t peer_ifindex;
	char peer_ifname[IF_NAMESIZE];
	bool has_peer;
	uint32_t rx_ring, tx_ring;
	uint8_t ctpio_mode;

	/* the switches and settings, as the module's struct hp_config has them */
	HP_PORT_SWITCHES(HP_SWITCH_FIELD)
	HP_PORT_SETTINGS(HP_SETTING_FIELD)
	HP_CTPIO_SETTINGS(HP_SETTING_FIELD)
	HP_COALESCE_SETTINGS(HP_SETTING_FIELD)
	HP_COALESCE_SWITCHES(HP_SWITCH_FIELD)

	/* the model's figures, as the module's struct hp_model has them */
	HP_MODEL_FIGURES(HP_MODEL_FIGURE_FIELD)
	uint8_t timing;
	uint32_t phc_index;
	int32_t phc_drift_ppb;
	uint8_t hwts_tx, hwts_rx;
	/* attached devices: the busy-poll knobs (netlink), ethtool's (nic.c) */
	uint32_t napi_defer_hard_irqs;
	uint64_t gro_flush_timeout_ns;
	struct hp_knobs knobs;
};

/*
 * Counter ids the CLI keeps: the module names its counters
 * (counter-names-get), so a newer module's ids above __HOTPATH_CNT_MAX are
 * shown too.
 */
#define HP_COUNTERS_MAX	256

struct hp_stage {
	uint32_t id;
	char name[32];
	uint8_t source;
	uint64_t count, sum_ns, min_ns, mean_ns, max_ns;
	uint64_t p50_ns, p90_ns, p99_ns, p999_ns;
};

struct hp_stats {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t kind;			/* enum hotpath_kind */
	char driver[HP_DRIVER_LEN];
	unsigned int n_stages;
	struct hp_stage stages[__HOTPATH_STAGE_MAX];
	uint64_t counters[HP_COUNTERS_MAX];
	bool has_counter[HP_COUNTERS_MAX];
};

/* nl.c */
int hp_nl_open(void);
/* Version of the loaded module's family, quietly; -ENOENT if not loaded. */
int hp_nl_family_version(unsigned int *version);
void hp_nl_close(void);
struct nl_msg *hp_nl_new_request(uint8_t cmd, const char *dev, bool dump);
/* Send @msg, pass every reply to @cb; prints errors as "prog: op: ...". */
int hp_nl_exec(struct nl_msg *msg, const char *op, hp_msg_cb cb, void *arg);
int hp_nl_get_ports(const char *dev, const char *op, struct hp_port **ports, unsigned int *n);
int hp_nl_get_stats(const char *dev, const char *op, struct hp_stats **stats, unsigned int *n);
int hp_nl_parse_port(struct nl_msg *msg, struct hp_port *port);
/* The module's counter names into counter_name()'s table. */
int hp_nl_load_counter_names(const char *op);
/* The port or attached device @dev, quietly: 0, or the negative errno. */
int hp_nl_find_port(const char *dev, struct hp_port *port);
/* A socket of its own on the "config" group; each port announced to @cb. */
struct nl_sock *hp_nl_monitor_sock(int (*cb)(const struct hp_port *port));
/* A connected generic netlink socket with extended acks, for another family. */
struct nl_sock *hp_nl_socket(void);
/*
 * Send @msg on @s, quietly: 0 or the negative errno, the kernel's message
 * in @extack.  Only a failure to talk at all is printed (as "prog: op: ...").
 */
int hp_nl_exec_on(struct nl_sock *s, struct nl_msg *msg, const char *op, hp_msg_cb cb,
		  void *arg, char *extack, size_t len);

/*
 * ethtool.c: the knobs through ethtool's netlink family, as the driver
 * reports them; set those @want says to @val, all in one request per
 * ethtool message (0 or the negative errno, ethtool's message in @extack).
 */
int hp_ethtool_read(const char *dev, struct hp_knobs *k);
int hp_ethtool_set(const char *dev, const bool *want, const uint32_t *val,
		   char *extack, size_t len);
struct nl_sock *hp_ethtool_monitor_sock(int (*cb)(const char *dev));
const char *hp_ethtool_driver(const char *dev, char *buf, size_t len);
void hp_ethtool_ctpio_counters(const char *dev, struct hp_knobs *k);

/*
 * set.c: one PORT_SET request of @n parsed keys (set_key is set.c's own);
 * 0 or the negative errno, printed.
 */
struct set_key;
int set_send(const char *dev, const struct set_key *const *keys, const uint64_t *vals,
	     unsigned int n);

/*
 * nic.c: hotpath set on another driver's device: the ethtool knobs @want
 * to @val, then the rest of the request (@rest, set_send()), all or
 * nothing.  @attached: the device has stats attached, or the rest attaches
 * it.  0 or the negative errno, printed.
 */
int nic_set(const char *dev, const bool *want, const uint32_t *val, bool attached,
	    const struct set_key *const *rest, const uint64_t *rest_vals, unsigned int n_rest);
/* The knob a set key names on another driver's device, or -1. */
int nic_knob_of(const char *key);
/* Fill an attached device's knobs, for show and monitor. */
void nic_read(struct hp_port *p);

/*
 * phc.c: the offset of PHC /dev/ptp@index to CLOCK_MONOTONIC (PHC minus
 * monotonic, ns) from the PHC's own cross time stamps; prints why not.
 */
int phc_offset_to_monotonic(const char *op, unsigned int index, int64_t *offset_ns);

/* names.c */
/* The model's figures (include/hotpath/figures.h), for parse and show. */
struct hp_figure {
	int attr;		/* HOTPATH_MODEL_A_* */
	size_t offset;		/* of its uint32_t in struct hp_port */
	const char *key;	/* hotpath set, and hotpath show's label */
	const char *json;	/* hotpath -j show, in "model" */
	bool bandwidth;		/* Mb/s, shown with a unit; else ns */
	int row;		/* hotpath show's line: 1 or 2 */
};

extern const struct hp_figure hp_figures[];
extern const unsigned int hp_nr_figures;

static inline uint32_t *hp_port_figure(struct hp_port *p, const struct hp_figure *f)
{
	return (uint32_t *)((char *)p + f->offset);
}

static inline uint32_t hp_port_figure_get(const struct hp_port *p, const struct hp_figure *f)
{
	return *(const uint32_t *)((const char *)p + f->offset);
}

/* The words of the protocol's enums, indexed by value. */
extern const char *const hp_rx_mode_words[HOTPATH_RX_MODE_MAX + 1];
extern const char *const hp_ctpio_words[HOTPATH_CTPIO_MAX + 1];
extern const char *const hp_timing_words[HOTPATH_TIMING_MAX + 1];
extern const char *const hp_profile_words[HOTPATH_PROFILE_MAX + 1];

const char *rx_mode_name(unsigned int v);
const char *ctpio_name(unsigned int v);
const char *timing_name(unsigned int v);
const char *source_name(unsigned int v);
const char *kind_name(unsigned int v);
/* The name of counter @id, or "counter_<id>" in @buf if it has none. */
const char *counter_name(unsigned int id, char *buf, size_t len);
int counter_name_set(unsigned int id, const char *name);
const char *attr_key_name(int parent, int type);

/*
 * print.c: text and JSON from one call per field (iproute2's PRINT_ANY):
 * @key is the JSON member (NULL in an array), @fmt the text's printf format
 * of the value (%s, %llu, %lld).
 */
enum print_mode { PRINT_ANY, PRINT_TEXT, PRINT_JSON };
void print_oneline(bool on);
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_nl(void);
void print_json_nl(void);
void print_string(enum print_mode m, const char *key, const char *fmt, const char *v);
void print_colour_string(enum print_mode m, const char *colour, const char *key,
			 const char *fmt, const char *v);
void print_uint(enum print_mode m, const char *key, const char *fmt, unsigned long long v);
void print_int(enum print_mode m, const char *key, const char *fmt, long long v);
void print_bool(enum print_mode m, const char *key, const char *fmt, bool v);
void print_colour_bool(enum print_mode m, const char *colour, const char *key,
		       const char *fmt, bool v);
void print_null(enum print_mode m, const char *key, const char *fmt);
void print_ns(enum print_mode m, const char *key, const char *fmt, unsigned long long ns);
void print_mbps(enum print_mode m, const char *key, const char *fmt, unsigned long long mbps);

/* show.c: the port, for show and monitor */
void print_port(const struct hp_port *p);

/* out.c: colour and units */
bool colour_enabled(void);
const char *col(const char *code);
#define COL_RESET	"0"
#define COL_BOLD	"1"
#define COL_GREEN	"32"
#define COL_CYAN	"36"
#define COL_YELLOW	"33"
void fmt_ns(char *buf, size_t len, uint64_t ns);
void fmt_mbps(char *buf, size_t len, uint64_t mbps);

/* subcommands */
int cmd_show(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_reset(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(void);
void usage(FILE *f);
void print_subcommands(FILE *f);
void set_print_keys(FILE *f);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * One printer for text and JSON, after iproute2's print_*(PRINT_ANY, key,
 * fmt, value): every field of the output is one call that names its JSON
 * key and its text format, so the two renderings cannot drift apart.  With
 * -j the JSON side is written and the text side is skipped, and the other
 * way round; PRINT_TEXT and PRINT_JSON are for what only one side shows (a
 * heading, a bar, a null).
 *
 * JSON objects and arrays nest; the printer remembers per level whether a
 * member was written, so callers never place commas.  In one-line mode
 * (monitor) print_nl() writes a space instead of a newline.
 */
#include <stdarg.h>

#include "hotpath.h"

#define MAX_DEPTH 8

static struct {
	bool oneline;
	unsigned int depth;
	bool member[MAX_DEPTH];	/* a member was written at this level */
} pr;

void print_oneline(bool on)
{
	pr.oneline = on;
}

static bool want(enum print_mode m)
{
	return m == PRINT_ANY || (m == PRINT_JSON) == json_output;
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The separator and "key": of a new member (@key NULL in an array). */
static void json_member(const char *key)
{
	/* top-level values are documents of their own (monitor) */
	if (pr.depth && pr.member[pr.depth])
		putchar(',');
	pr.member[pr.depth] = true;
	if (key) {
		json_str(stdout, key);
		putchar(':');
	}
}

static void json_open(const char *key, char c)
{
	if (!json_output)
		return;
	json_member(key);
	putchar(c);
	if (pr.depth + 1 < MAX_DEPTH)
		pr.depth++;
	pr.member[pr.depth] = false;
}

static void json_close(char c)
{
	if (!json_output)
		return;
	putchar(c);
	if (pr.depth)
		pr.depth--;
}

void open_json_object(const char *key)
{
	json_open(key, '{');
}

void close_json_object(void)
{
	json_close('}');
}

void open_json_array(const char *key)
{
	json_open(key, '[');
}

void close_json_array(void)
{
	json_close(']');
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json_output)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* The newline that ends a JSON document (text ends its own lines). */
void print_json_nl(void)
{
	if (json_output)
		putchar('\n');
}

void print_nl(void)
{
	if (!json_output)
		putchar(pr.oneline ? ' ' : '\n');
}

void print_string(enum print_mode m, const char *key, const char *fmt, const char *v)
{
	if (!want(m))
		return;
	if (json_output) {
		json_member(key);
		json_str(stdout, v);
	} else {
		printf(fmt, v);
	}
}

void print_colour_string(enum print_mode m, const char *colour, const char *key,
			 const char *fmt, const char *v)
{
	char buf[64];

	if (!json_output && colour_enabled()) {
		snprintf(buf, sizeof(buf), "%s%s%s", col(colour), v, col(COL_RESET));
		v = buf;
	}
	print_string(m, key, fmt, v);
}

void print_uint(enum print_mode m, const char *key, const char *fmt, unsigned long long v)
{
	if (!want(m))
		return;
	if (json_output) {
		json_member(key);
		printf("%llu", v);
	} else {
		printf(fmt, v);
	}
}

void print_int(enum print_mode m, const char *key, const char *fmt, long long v)
{
	if (!want(m))
		return;
	if (json_output) {
		json_member(key);
		printf("%lld", v);
	} else {
		printf(fmt, v);
	}
}

/* A switch: true/false in JSON, on/off in text (in @colour, if any). */
void print_colour_bool(enum print_mode m, const char *colour, const char *key,
		       const char *fmt, bool v)
{
	if (!want(m))
		return;
	if (json_output) {
		json_member(key);
		printf(v ? "true" : "false");
	} else if (colour) {
		print_colour_string(m, colour, key, fmt, v ? "on" : "off");
	} else {
		printf(fmt, v ? "on" : "off");
	}
}

void print_bool(enum print_mode m, const char *key, const char *fmt, bool v)
{
	print_colour_bool(m, NULL, key, fmt, v);
}

void print_null(enum print_mode m, const char *key, const char *fmt)
{
	if (!want(m))
		return;
	if (json_output) {
		json_member(key);
		printf("null");
	} else if (fmt) {
		fputs(fmt, stdout);
	}
}

/* A figure: the plain number in JSON, @human's rendering of it in text. */
static void print_unit(enum print_mode m, const char *key, const char *fmt,
		       unsigned long long v, void (*human)(char *, size_t, uint64_t))
{
	char buf[16];

	if (json_output) {
		print_uint(m, key, "%llu", v);
		return;
	}
	human(buf, sizeof(buf), v);
	print_string(m, key, fmt, buf);
}

/* A time: a number of ns in JSON, 300ns / 1.5us / 2.0ms in text. */
void print_ns(enum print_mode m, const char *key, const char *fmt, unsigned long long ns)
{
	print_unit(m, key, fmt, ns, fmt_ns);
}

/* A bandwidth: a number of Mb/s in JSON, 26g / 500m in text. */
void print_mbps(enum print_mode m, const char *key, const char *fmt, unsigned long long mbps)
{
	print_unit(m, key, fmt, mbps, fmt_mbps);
}

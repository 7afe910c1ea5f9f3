/*
 * Activities straight from the API's JSON bytes to CEF bytes, compiled to WebAssembly
 * (scripts/build-wasm.ts; the module is embedded in cef-activities-wasm.ts). The JavaScript side
 * is formats/cef-activity-bytes.ts, which also says why this exists and how it stays exact.
 *
 * One call reads one piece of a page's `data`: records (JSON objects) separated by commas. It
 * checks the full JSON grammar, so it accepts a piece only where JSON.parse would, and writes
 * the CEF line of every "plain" record; for a record that is valid JSON but not plain it leaves a
 * mark in the table of generals, and JavaScript formats that record with the general formatter.
 *
 * No libc: freestanding wasm32, memory laid out by the caller (see the exported entry points).
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;

#define MAX_DEPTH 64
/* Largest epoch ms whose ISO year has four digits (record-fields.ts's readTime). */
#define MAX_TIME 253402300799999ULL
#define MAX_LIST 256

enum { F_ID, F_TIMESTAMP, F_CREATED, F_TYPE, F_DESCRIPTION, F_APP_NAME, F_APP_ID, F_USER_NAME, F_CLIENT_IP, F_USER_AGENT, F_PRETTY, FIELD_COUNT };
enum { SEEN_MAIN_INFO = 1 << 11, SEEN_USER = 1 << 12, SEEN_DEVICE = 1 << 13, SEEN_POLICIES = 1 << 14, SEEN_EVENT_OBJECTS = 1 << 15 };
/* Character classes inside a string. */
enum { C_PLAIN, C_QUOTE, C_BACKSLASH, C_CONTROL, C_HIGH, C_EQUALS, C_PIPE };

/* Constants set by JavaScript (set_constant). */
enum { K_PRI, K_HOST, K_PREFIX, K_LINK, K_UNSPECIFIED, CONSTANT_COUNT };

struct constant { const u8 *bytes; u32 length; };
struct app_token { u32 id; const u8 *bytes; u32 length; };

/* What one call found (read by JavaScript at result_address()). */
struct result {
	double newest_time;
	double newest_created;
	u32 records;
	u32 plain;
	u32 out_length;
	u32 generals;
};

static u8 char_class[256];
static struct constant constants[CONSTANT_COUNT];
static struct app_token app_tokens[16];
static u32 app_token_count;
static u32 time_format; /* 0 rfc5424, 1 rfc3164, 2 rfc3164-year */
static struct result result;

/* The scan. */
static const u8 *in;
static u32 end;
static u32 last_plain; /* the last string read: no escapes, no control characters, well-formed UTF-8 that needs no care */
static u32 last_flags; /* and holds `=` (1), `|` (2), non-ASCII (4) */
static u32 last_integer; /* the last number read: a non-negative integer of at most 15 digits */

/* The record being read. */
static i32 at[FIELD_COUNT * 2];
static u8 flags_of[FIELD_COUNT];
static u32 seen;
static u32 plain;
static i32 names[MAX_LIST * 2];
static u32 name_count;
static i32 policies[MAX_LIST * 2];
static u32 policy_count;
static i32 item_name, item_name_end;
static u32 item_name_seen;

/* Output. */
static u8 *out;
static u32 o;
static u32 out_capacity;
static u32 *generals;
static u32 generals_capacity;
static u32 overflow;

/*
 * The header's date part for a day since the epoch, up to the clock (`2017-01-02T`,
 * `Jan 02 `, `Jan 02 2017 `), written by JavaScript with syslog-header.ts's own dayPart into
 * `target` (16 bytes); returns its length. Called once per day the events cross.
 */
__attribute__((import_module("env"), import_name("day_text"))) u32 day_text_of(u32 day, u8 *target);

static u64 cached_day = ~0ULL;
static u8 day_text[16];
static u32 day_length;

void init(void) {
	for (u32 c = 0; c < 256; c++) {
		char_class[c] = c == '"' ? C_QUOTE : c == '\\' ? C_BACKSLASH : c < 0x20 ? C_CONTROL : c > 0x7E ? C_HIGH : c == '=' ? C_EQUALS : c == '|' ? C_PIPE : C_PLAIN;
	}
}

void set_constant(u32 which, const u8 *bytes, u32 length) {
	if (which < CONSTANT_COUNT) {
		constants[which].bytes = bytes;
		constants[which].length = length;
	}
}

void set_app_token(u32 id, const u8 *bytes, u32 length) {
	if (app_token_count < 16) {
		app_tokens[app_token_count].id = id;
		app_tokens[app_token_count].bytes = bytes;
		app_tokens[app_token_count].length = length;
		app_token_count++;
	}
}

void set_time_format(u32 format) {
	time_format = format;
	cached_day = ~0ULL;
}

struct result *result_address(void) {
	return &result;
}

/* ---- JSON grammar. Each function takes a position and returns the one after what it read, or -1. */

static inline i32 ws(i32 i) {
	while ((u32)i < end) {
		u8 c = in[i];
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
			break;
		}
		i++;
	}
	return i;
}

static inline u32 is_hex(u8 c) {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/*
 * The length of the UTF-8 sequence at `i` when it is well-formed (as a decoder reads it, so
 * that decoding and encoding again gives the same bytes) and is not a character the escapers
 * change: the C1 controls U+0080-U+009F and U+2028/U+2029 (cef-escape.ts). Else 0.
 */
static u32 utf8_sequence(i32 i) {
	u8 c = in[i];
	u32 length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (c < 0xC2 || c > 0xF4 || end - (u32)i < length) {
		return 0;
	}
	/* The second byte's range: no overlong forms (E0, F0), no surrogates (ED), nothing past U+10FFFF (F4), no C1 controls (C2 80-9F). */
	u8 low = c == 0xE0 || c == 0xC2 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
	u8 high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
	if (in[i + 1] < low || in[i + 1] > high) {
		return 0;
	}
	for (u32 k = 2; k < length; k++) {
		if (in[i + (i32)k] < 0x80 || in[i + (i32)k] > 0xBF) {
			return 0;
		}
	}
	/* U+2028 and U+2029. */
	if (c == 0xE2 && in[i + 1] == 0x80 && (in[i + 2] == 0xA8 || in[i + 2] == 0xA9)) {
		return 0;
	}
	return length;
}

/*
 * `i` is at the opening quote. Sets last_plain (no escapes, no control characters, only
 * well-formed UTF-8 that needs no care) and last_flags (holds `=` 1, `|` 2, non-ASCII 4).
 */
static i32 string(i32 i) {
	u32 is_plain = 1;
	u32 flags = 0;
	i++;
	for (;;) {
		while ((u32)i < end && char_class[in[i]] == C_PLAIN) {
			i++;
		}
		if ((u32)i >= end) {
			return -1;
		}
		u8 k = char_class[in[i]];
		if (k == C_QUOTE) {
			last_plain = is_plain;
			last_flags = flags;
			return i + 1;
		}
		if (k == C_BACKSLASH) {
			is_plain = 0;
			if ((u32)i + 1 >= end) {
				return -1;
			}
			u8 e = in[i + 1];
			if (e == 'u') {
				if ((u32)i + 5 >= end || !is_hex(in[i + 2]) || !is_hex(in[i + 3]) || !is_hex(in[i + 4]) || !is_hex(in[i + 5])) {
					return -1;
				}
				i += 6;
				continue;
			}
			if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
				return -1;
			}
			i += 2;
			continue;
		}
		if (k == C_CONTROL) {
			return -1;
		}
		if (k == C_HIGH) {
			u32 length = utf8_sequence(i);
			if (length == 0) {
				is_plain = 0;
				i++;
			} else {
				flags |= 4;
				i += (i32)length;
			}
			continue;
		} else {
			flags |= k == C_EQUALS ? 1 : 2;
		}
		i++;
	}
}

static inline u32 digit(u8 c) {
	return c >= '0' && c <= '9';
}

/* Past the digits at `i`, or -1 when there is none. */
static i32 one_or_more_digits(i32 i) {
	i32 first = i;
	while ((u32)i < end && digit(in[i])) {
		i++;
	}
	return i == first ? -1 : i;
}

static i32 number(i32 i) {
	i32 first = i;
	u32 integer = 1;
	if (in[i] == '-') {
		integer = 0;
		i++;
	}
	if ((u32)i >= end) {
		return -1;
	}
	if (in[i] == '0') {
		i++;
	} else if (in[i] > '0' && in[i] <= '9') {
		i++;
		while ((u32)i < end && digit(in[i])) {
			i++;
		}
	} else {
		return -1;
	}
	if ((u32)i < end && in[i] == '.') {
		integer = 0;
		i = one_or_more_digits(i + 1);
		if (i < 0) {
			return -1;
		}
	}
	if ((u32)i < end && (in[i] == 'e' || in[i] == 'E')) {
		integer = 0;
		i++;
		if ((u32)i < end && (in[i] == '+' || in[i] == '-')) {
			i++;
		}
		i = one_or_more_digits(i);
		if (i < 0) {
			return -1;
		}
	}
	last_integer = integer && i - first <= 15;
	return i;
}

static i32 literal(i32 i, const char *text, u32 length) {
	if ((u32)i + length > end) {
		return -1;
	}
	for (u32 j = 0; j < length; j++) {
		if (in[i + j] != (u8)text[j]) {
			return -1;
		}
	}
	return i + (i32)length;
}

static i32 value(i32 i, u32 depth);

/* At an opening bracket or brace: the position past `close` when the container is empty, else -1 (and `*first` is where its first element starts). */
static i32 empty_container(i32 i, u8 close, i32 *first) {
	i = ws(i + 1);
	*first = i;
	return (u32)i < end && in[i] == close ? i + 1 : -1;
}

enum { ANOTHER, CLOSED, BROKEN };

/* After an element: ANOTHER with `*i` at the next element (past the comma), CLOSED with `*i` past `close`, or BROKEN. */
static u32 after_element(i32 *i, u8 close) {
	i32 p = ws(*i);
	if ((u32)p >= end) {
		return BROKEN;
	}
	if (in[p] == ',') {
		*i = ws(p + 1);
		return ANOTHER;
	}
	if (in[p] == close) {
		*i = p + 1;
		return CLOSED;
	}
	return BROKEN;
}

/* In a container loop, after an element: goes on with the next one, or returns the position after the container (or -1). */
#define NEXT_ELEMENT(close) \
	do { \
		u32 step = after_element(&i, close); \
		if (step != ANOTHER) { \
			return step == CLOSED ? i : -1; \
		} \
	} while (0)

typedef i32 (*on_key)(i32 ks, i32 ke, i32 i, u32 depth);
static i32 object(i32 i, u32 depth, on_key key);

/* Any object, only checked. */
static i32 object_any(i32 i, u32 depth) {
	return object(i, depth, 0);
}

typedef i32 (*on_element)(i32 i, u32 depth);

/* An array at `i`, each element read by `element` (which returns the position after it). */
static i32 elements(i32 i, u32 depth, on_element element) {
	i32 done = empty_container(i, ']', &i);
	if (done >= 0) {
		return done;
	}
	for (;;) {
		i = element(i, depth);
		if (i < 0) {
			return -1;
		}
		NEXT_ELEMENT(']');
	}
}

static i32 array_any(i32 i, u32 depth) {
	return elements(i, depth, value);
}

/* Any value, only checked. */
static i32 value(i32 i, u32 depth) {
	if ((u32)i >= end) {
		return -1;
	}
	switch (in[i]) {
	case '"':
		return string(i);
	case '{':
		return depth >= MAX_DEPTH ? -1 : object_any(i, depth + 1);
	case '[':
		return depth >= MAX_DEPTH ? -1 : array_any(i, depth + 1);
	case 't':
		return literal(i, "true", 4);
	case 'f':
		return literal(i, "false", 5);
	case 'n':
		return literal(i, "null", 4);
	default:
		return in[i] == '-' || digit(in[i]) ? number(i) : -1;
	}
}

/* ---- The fields the activity mapping reads (normalize.ts's mapActivity). */

static u32 is_key(i32 start, i32 stop, const char *key, u32 length) {
	if ((u32)(stop - start) != length) {
		return 0;
	}
	for (u32 j = 0; j < length; j++) {
		if (in[start + j] != (u8)key[j]) {
			return 0;
		}
	}
	return 1;
}

#define KEY(name) is_key(ks, ke, name, sizeof(name) - 1)

/* A field read once: its slot; a second time makes the record not plain. */
static void field(u32 slot, i32 start, i32 stop, u32 flags) {
	if (at[slot * 2] != -1 || (seen & (1u << slot)) != 0) {
		plain = 0;
	}
	seen |= 1u << slot;
	at[slot * 2] = start;
	at[slot * 2 + 1] = stop;
	flags_of[slot] = (u8)flags;
}

static void null_field(u32 slot) {
	if ((seen & (1u << slot)) != 0) {
		plain = 0;
	}
	seen |= 1u << slot;
}

/* A field's value that is not of its type: null (when allowed: the field is there, empty), or anything else (not plain). */
static i32 null_or_other(i32 i, u32 slot, u32 depth, u32 nullable) {
	if (nullable && in[i] == 'n') {
		i32 next = literal(i, "null", 4);
		if (next >= 0) {
			null_field(slot);
		}
		return next;
	}
	plain = 0;
	return value(i, depth);
}

/* A string field, or null. */
static i32 string_field(i32 i, u32 slot, u32 depth) {
	if (in[i] == '"') {
		i32 next = string(i);
		if (next < 0) {
			return -1;
		}
		if (last_plain) {
			field(slot, i + 1, next - 1, last_flags);
		} else {
			plain = 0;
		}
		return next;
	}
	return null_or_other(i, slot, depth, 1);
}

/* A non-negative integer field (or null, when nullable). */
static i32 integer_field(i32 i, u32 slot, u32 depth, u32 nullable) {
	u8 c = in[i];
	if (c == '-' || digit(c)) {
		i32 next = number(i);
		if (next >= 0) {
			if (last_integer) {
				field(slot, i, next, 0);
			} else {
				plain = 0;
			}
		}
		return next;
	}
	return null_or_other(i, slot, depth, nullable);
}

static void container(u32 flag) {
	if ((seen & flag) != 0) {
		plain = 0;
	}
	seen |= flag;
}

/*
 * An object whose plain keys go to `key`; a key with escapes may spell a field's name, so it
 * makes the record not plain. Without `key` (an object no field is read from), only checked.
 */
static i32 object(i32 i, u32 depth, on_key key) {
	i32 done = empty_container(i, '}', &i);
	if (done >= 0) {
		return done;
	}
	for (;;) {
		if ((u32)i >= end || in[i] != '"') {
			return -1;
		}
		i32 key_at = i;
		i32 key_end = string(i);
		if (key_end < 0) {
			return -1;
		}
		u32 key_plain = last_plain;
		i = ws(key_end);
		if ((u32)i >= end || in[i] != ':') {
			return -1;
		}
		i = ws(i + 1);
		if ((u32)i >= end) {
			return -1;
		}
		if (!key) {
			i = value(i, depth);
		} else if (key_plain) {
			i = key(key_at + 1, key_end - 1, i, depth);
		} else {
			plain = 0;
			i = value(i, depth);
		}
		if (i < 0) {
			return -1;
		}
		NEXT_ELEMENT('}');
	}
}

/* An object value read by `key`, or null; anything else is not plain. */
static i32 nested(i32 i, u32 depth, u32 flag, on_key key) {
	u8 c = in[i];
	if (c == '{') {
		container(flag);
		return depth >= MAX_DEPTH ? -1 : object(i, depth + 1, key);
	}
	if (c == 'n') {
		container(flag);
		return literal(i, "null", 4);
	}
	plain = 0;
	return value(i, depth);
}

static i32 user_key(i32 ks, i32 ke, i32 i, u32 depth) {
	return KEY("userName") ? string_field(i, F_USER_NAME, depth) : value(i, depth);
}

static i32 device_key(i32 ks, i32 ke, i32 i, u32 depth) {
	if (KEY("clientIP")) {
		return string_field(i, F_CLIENT_IP, depth);
	}
	return KEY("userAgent") ? string_field(i, F_USER_AGENT, depth) : value(i, depth);
}

static i32 event_object_key(i32 ks, i32 ke, i32 i, u32 depth) {
	if (!KEY("name")) {
		return value(i, depth);
	}
	if (item_name_seen) {
		plain = 0;
	}
	item_name_seen = 1;
	if (in[i] == '"') {
		i32 next = string(i);
		if (next >= 0) {
			if (last_plain) {
				item_name = i + 1;
				item_name_end = next - 1;
			} else {
				plain = 0;
			}
		}
		return next;
	}
	if (in[i] == 'n') {
		item_name = -1;
		return literal(i, "null", 4);
	}
	plain = 0;
	return value(i, depth);
}

/* A value's range added to a list (names, policies); a longer list than MAX_LIST is not plain. */
static void push(i32 *list, u32 *count, i32 start, i32 stop) {
	if (*count >= MAX_LIST) {
		plain = 0;
		return;
	}
	list[*count * 2] = start;
	list[*count * 2 + 1] = stop;
	(*count)++;
}

/*
 * A list field (eventObjects, policies): null, something else than a list (the record is not
 * plain), or a list whose elements `element` reads (it returns the position after one).
 * `*count` is reset for the list; a second one of the same field makes the record not plain.
 */
static i32 list(i32 i, u32 depth, u32 flag, u32 *count, on_element element) {
	u8 c = in[i];
	if (c == 'n') {
		container(flag);
		return literal(i, "null", 4);
	}
	if (c != '[' || depth >= MAX_DEPTH) {
		plain = 0;
		return value(i, depth);
	}
	container(flag);
	*count = 0;
	return elements(i, depth, element);
}

/* One of eventObjects: an object whose `name` is kept. */
static i32 event_object(i32 i, u32 depth) {
	if ((u32)i < end && in[i] == '{') {
		item_name = -1;
		item_name_end = -1;
		item_name_seen = 0;
		i = depth + 2 > MAX_DEPTH ? -1 : object(i, depth + 2, event_object_key);
		push(names, &name_count, item_name, item_name_end);
		return i;
	}
	plain = 0;
	return value(i, depth + 1);
}

/* One of policies: a policy id (an empty one is skipped, as joinIds skips it) or null. */
static i32 policy(i32 i, u32 depth) {
	if ((u32)i < end && in[i] == '"') {
		i32 next = string(i);
		if (next < 0) {
			return -1;
		}
		if (!last_plain) {
			plain = 0;
		} else if (next - i > 2) {
			push(policies, &policy_count, i + 1, next - 1);
		}
		return next;
	}
	if ((u32)i < end && in[i] == 'n') {
		return literal(i, "null", 4);
	}
	plain = 0;
	return value(i, depth + 1);
}

static i32 main_info_key(i32 ks, i32 ke, i32 i, u32 depth) {
	if (KEY("prettyOperationName")) {
		return string_field(i, F_PRETTY, depth);
	}
	return KEY("eventObjects") ? list(i, depth, SEEN_EVENT_OBJECTS, &name_count, event_object) : value(i, depth);
}

static i32 record_key(i32 ks, i32 ke, i32 i, u32 depth) {
	switch (ke - ks) {
	case 3:
		return KEY("_id") ? string_field(i, F_ID, depth) : value(i, depth);
	case 4:
		return KEY("user") ? nested(i, depth, SEEN_USER, user_key) : value(i, depth);
	case 5:
		return KEY("appId") ? integer_field(i, F_APP_ID, depth, 1) : value(i, depth);
	case 6:
		return KEY("device") ? nested(i, depth, SEEN_DEVICE, device_key) : value(i, depth);
	case 7:
		if (KEY("appName")) {
			return string_field(i, F_APP_NAME, depth);
		}
		return KEY("created") ? integer_field(i, F_CREATED, depth, 1) : value(i, depth);
	case 8:
		if (KEY("mainInfo")) {
			return nested(i, depth, SEEN_MAIN_INFO, main_info_key);
		}
		return KEY("policies") ? list(i, depth, SEEN_POLICIES, &policy_count, policy) : value(i, depth);
	case 9:
		return KEY("timestamp") ? integer_field(i, F_TIMESTAMP, depth, 0) : value(i, depth);
	case 11:
		return KEY("description") ? string_field(i, F_DESCRIPTION, depth) : value(i, depth);
	case 13:
		return KEY("eventTypeName") ? string_field(i, F_TYPE, depth) : value(i, depth);
	default:
		return value(i, depth);
	}
}

/* ---- Output. Capacity is checked once per record (room), so writes need no checks. */

static inline void put(const u8 *bytes, u32 length) {
	__builtin_memcpy(out + o, bytes, length);
	o += length;
}

#define PUT(text) put((const u8 *)(text), sizeof(text) - 1)

static inline void put_constant(u32 which) {
	put(constants[which].bytes, constants[which].length);
}

/* Plain ASCII, with `special` (`=` in the extension, `|` in the header) escaped by a backslash. */
static void copy(i32 start, i32 stop, u8 special) {
	for (i32 i = start; i < stop; i++) {
		u8 c = in[i];
		if (c == special) {
			out[o++] = '\\';
		}
		out[o++] = c;
	}
}

static void copy_slot(u32 slot, u8 special) {
	i32 start = at[slot * 2];
	if (start < 0) {
		return;
	}
	i32 stop = at[slot * 2 + 1];
	if ((flags_of[slot] & (special == '=' ? 1 : 2)) != 0) {
		copy(start, stop, special);
	} else {
		put(in + start, (u32)(stop - start));
	}
}

static u64 integer_of(u32 slot) {
	u64 value = 0;
	for (i32 i = at[slot * 2]; i < at[slot * 2 + 1]; i++) {
		value = value * 10 + (u64)(in[i] - '0');
	}
	return value;
}

static void put_two(u32 n) {
	out[o++] = (u8)('0' + n / 10);
	out[o++] = (u8)('0' + n % 10);
}

static void put_decimal(u64 n) {
	u8 digits[24];
	u32 count = 0;
	do {
		digits[count++] = (u8)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	while (count > 0) {
		out[o++] = digits[--count];
	}
}

/* syslog-header.ts's header for severity 6, the time in [0, MAX_TIME]. */
static void header(u64 time) {
	u64 second = time / 1000;
	u64 day = second / 86400;
	if (day != cached_day) {
		day_length = day_text_of((u32)day, day_text);
		cached_day = day;
	}
	put_constant(K_PRI);
	put(day_text, day_length);
	u32 rest = (u32)(second - day * 86400);
	put_two(rest / 3600);
	out[o++] = ':';
	put_two(rest / 60 % 60);
	out[o++] = ':';
	put_two(rest % 60);
	if (time_format == 0) {
		u32 millis = (u32)(time - second * 1000);
		out[o++] = '.';
		out[o++] = (u8)('0' + millis / 100);
		out[o++] = (u8)('0' + millis / 10 % 10);
		out[o++] = (u8)('0' + millis % 10);
		out[o++] = 'Z';
	}
	put_constant(K_HOST);
}

/*
 * An IPv6 address of hex groups, as node:net's isIPv6 accepts it: eight groups of 1-4 hex
 * digits, or fewer around one `::`. Forms with an embedded dotted quad or a zone (`%eth0`), which
 * isIPv6 accepts too, are left to the general path (0 here).
 */
static u32 hex_ipv6(i32 s, i32 e) {
	u32 groups = 0;
	u32 compressed = 0;
	i32 i = s;
	if (e - s > 64) {
		return 0;
	}
	if (i + 1 < e && in[i] == ':' && in[i + 1] == ':') {
		compressed = 1;
		i += 2;
		if (i == e) {
			return 1;
		}
	}
	for (;;) {
		u32 digits = 0;
		while (i < e && is_hex(in[i]) && digits < 5) {
			i++;
			digits++;
		}
		if (digits == 0 || digits > 4) {
			return 0;
		}
		groups++;
		if (i == e) {
			break;
		}
		if (in[i] != ':') {
			return 0;
		}
		i++;
		if (i < e && in[i] == ':') {
			if (compressed) {
				return 0;
			}
			compressed = 1;
			i++;
			if (i == e) {
				break;
			}
		} else if (i == e) {
			return 0;
		}
	}
	return compressed ? groups <= 7 : groups == 8;
}

/* device.clientIP trimmed: 0 none, 4 a dotted quad (node:net's isIPv4), 6 hex_ipv6, 9 anything else (not for this path). */
static u32 client_ip(i32 *start, i32 *stop) {
	i32 s = at[F_CLIENT_IP * 2];
	if (s < 0) {
		return 0;
	}
	i32 e = at[F_CLIENT_IP * 2 + 1];
	while (s < e && in[s] == ' ') {
		s++;
	}
	while (e > s && in[e - 1] == ' ') {
		e--;
	}
	*start = s;
	*stop = e;
	if (s == e) {
		return 0;
	}
	for (i32 i = s; i < e; i++) {
		if (in[i] == ':') {
			return hex_ipv6(s, e) ? 6 : 9;
		}
	}
	u32 octets = 0, digits = 0, value = 0;
	u8 first = 0;
	for (i32 i = s; i <= e; i++) {
		u8 c = i < e ? in[i] : '.';
		if (digit(c)) {
			if (digits == 0) {
				first = c;
			}
			digits++;
			value = value * 10 + (u32)(c - '0');
			if (digits > 3) {
				return 9;
			}
		} else if (c == '.') {
			if (digits == 0 || value > 255 || (digits > 1 && first == '0')) {
				return 9;
			}
			octets++;
			digits = 0;
			value = 0;
		} else {
			return 9;
		}
	}
	return octets == 4 ? 4 : 9;
}

static const u8 *app_token(u32 id, u32 *length) {
	for (u32 n = 0; n < app_token_count; n++) {
		if (app_tokens[n].id == id) {
			*length = app_tokens[n].length;
			return app_tokens[n].bytes;
		}
	}
	return 0;
}

/* The CEF line of the plain record just scanned; 0 when a value rules it out after all. */
static u32 write_plain(i32 record_start, i32 record_end) {
	i32 id_start = at[F_ID * 2];
	i32 time_start = at[F_TIMESTAMP * 2];
	i32 type_start = at[F_TYPE * 2];
	if (id_start < 0 || time_start < 0 || type_start < 0 || at[F_ID * 2 + 1] == id_start) {
		return 0;
	}
	u64 time = integer_of(F_TIMESTAMP);
	if (time > MAX_TIME) {
		return 0;
	}
	i32 ip_start = 0, ip_end = 0;
	u32 family = client_ip(&ip_start, &ip_end);
	if (family == 9) {
		return 0;
	}
	/* Values are parts of the record (the id twice, the time three times), escaping at most doubles them. */
	u32 need = 4 * (u32)(record_end - record_start) + 1024;
	for (u32 k = 0; k < CONSTANT_COUNT; k++) {
		need += constants[k].length;
	}
	if (o + need > out_capacity) {
		overflow = 1;
		return 0;
	}
	double created = -1;
	if (at[F_CREATED * 2] >= 0) {
		created = (double)integer_of(F_CREATED);
	}

	u32 record_start_o = o;
	header(time);
	put_constant(K_PREFIX);
	if (at[F_TYPE * 2 + 1] > type_start) {
		copy_slot(F_TYPE, '|');
	} else {
		put_constant(K_UNSPECIFIED);
	}
	out[o++] = '|';
	/* Name: mainInfo.prettyOperationName, else the description up to its first colon, trimmed. */
	i32 pretty = at[F_PRETTY * 2];
	if (pretty >= 0 && at[F_PRETTY * 2 + 1] > pretty) {
		copy_slot(F_PRETTY, '|');
	} else if (at[F_DESCRIPTION * 2] >= 0 && (flags_of[F_DESCRIPTION] & 4) != 0) {
		/* String.prototype.trim knows more white space than ASCII's: the general path decides. */
		o = record_start_o;
		return 0;
	} else if (at[F_DESCRIPTION * 2] >= 0) {
		i32 s = at[F_DESCRIPTION * 2];
		i32 e = at[F_DESCRIPTION * 2 + 1];
		for (i32 i = s; i < e; i++) {
			if (in[i] == ':') {
				e = i;
				break;
			}
		}
		while (s < e && in[s] == ' ') {
			s++;
		}
		while (e > s && in[e - 1] == ' ') {
			e--;
		}
		copy(s, e, '|');
	}
	PUT("|0|externalId=");
	copy_slot(F_ID, '=');
	PUT(" rt=");
	copy_slot(F_TIMESTAMP, '=');
	PUT(" start=");
	copy_slot(F_TIMESTAMP, '=');
	PUT(" end=");
	copy_slot(F_TIMESTAMP, '=');
	PUT(" msg=");
	copy_slot(F_DESCRIPTION, '=');
	PUT(" suser=");
	copy_slot(F_USER_NAME, '=');
	PUT(" destinationServiceName=");
	copy_slot(F_APP_NAME, '=');
	PUT(" dvc=");
	if (family == 4) {
		put(in + ip_start, (u32)(ip_end - ip_start));
	}
	PUT(" requestClientApplication=");
	copy_slot(F_USER_AGENT, '=');
	PUT(" cs1Label=portalURL cs1=");
	put_constant(K_LINK);
	copy_slot(F_ID, '=');
	PUT(",) cs2Label=uniqueServiceAppIds cs2=");
	if (at[F_APP_ID * 2] >= 0) {
		u64 id = integer_of(F_APP_ID);
		u32 length = 0;
		const u8 *token = id <= 0xFFFFFFFFULL ? app_token((u32)id, &length) : 0;
		if (token) {
			put(token, length);
		} else {
			PUT("APPID_");
			put_decimal(id);
		}
	}
	PUT(" cs3Label=targetObjects cs3=");
	for (u32 n = 0; n < name_count; n++) {
		if (n > 0) {
			out[o++] = ',';
		}
		if (names[n * 2] >= 0) {
			copy(names[n * 2], names[n * 2 + 1], '=');
		}
	}
	PUT(" cs4Label=policyIDs cs4=");
	for (u32 n = 0; n < policy_count; n++) {
		if (n > 0) {
			out[o++] = ',';
		}
		copy(policies[n * 2], policies[n * 2 + 1], '=');
	}
	PUT(" c6a1Label=\"Device IPv6 Address\" c6a1=");
	if (family == 6) {
		/* Hex digits and colons: nothing to escape. */
		put(in + ip_start, (u32)(ip_end - ip_start));
	}

	if ((double)time > result.newest_time) {
		result.newest_time = (double)time;
	}
	if (created > result.newest_created) {
		result.newest_created = created;
	}
	return 1;
}

/*
 * Reads `bytes[start, stop)`: JSON objects separated by commas and whitespace. Output goes to
 * `output` (at most `capacity` bytes): the messages joined by LF; a record that is not plain
 * leaves (output offset, record start, record end) in `marks` (at most `mark_capacity`
 * triples), and JavaScript puts its line there. Returns 1 when the piece was read (see the
 * result struct), 0 when the text is not certainly valid (nothing to use: the caller parses the
 * piece itself), 2 when the output ran out of room and 3 when the marks did (call again with
 * more).
 */
u32 transcode(const u8 *bytes, u32 start, u32 stop, u8 *output, u32 capacity, u32 *marks, u32 mark_capacity) {
	in = bytes;
	end = stop;
	out = output;
	o = 0;
	out_capacity = capacity;
	generals = marks;
	generals_capacity = mark_capacity;
	overflow = 0;
	result.newest_time = 0;
	result.newest_created = 0;
	result.records = 0;
	result.plain = 0;
	result.generals = 0;
	result.out_length = 0;
	i32 i = ws((i32)start);
	for (;;) {
		if ((u32)i >= end || in[i] != '{') {
			return 0;
		}
		for (u32 k = 0; k < FIELD_COUNT * 2; k++) {
			at[k] = -1;
		}
		seen = 0;
		plain = 1;
		name_count = 0;
		policy_count = 0;
		i32 record_start = i;
		i = object(i, 1, record_key);
		if (i < 0) {
			return 0;
		}
		if (result.records > 0) {
			if (o + 1 > out_capacity) {
				return 2;
			}
			out[o++] = '\n';
		}
		u32 before = o;
		if (plain && write_plain(record_start, i)) {
			result.plain++;
		} else {
			if (overflow) {
				return 2;
			}
			o = before;
			if (result.generals >= generals_capacity) {
				return 3;
			}
			generals[result.generals * 3] = o;
			generals[result.generals * 3 + 1] = (u32)record_start;
			generals[result.generals * 3 + 2] = (u32)i;
			result.generals++;
		}
		result.records++;
		i = ws(i);
		if ((u32)i == end) {
			break;
		}
		if (in[i] != ',') {
			return 0;
		}
		i = ws(i + 1);
	}
	result.out_length = o;
	return 1;
}

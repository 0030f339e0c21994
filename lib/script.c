/* Scripts: argv splitting, identity and security checks (the runner is
 * lib/script_run.c). */
#include "build-config.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/script.h"

#define DEFAULT_SCRIPT_USER "keepalived_script"
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* --- argv ---------------------------------------------------------------- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape after a backslash, as keepalived reads them in script command
 * lines (\xHH..., \cC, \NNN octal, \a \b \E \f \n \r \t \v, else the
 * character itself). Returns the bytes consumed after the backslash. */
static size_t unescape(const char *p, char *out)
{
	static const char simple[] = "a\ab\bE\033f\fn\nr\rt\tv\v";
	size_t i = 0;

	if (*p == 'x' && hex_digit(p[1]) >= 0) {
		unsigned char v = 0;

		for (i = 1; hex_digit(p[i]) >= 0; i++)
			v = (unsigned char)(v << 4 | hex_digit(p[i]));
		*out = (char)v;
		return i;
	}
	if (*p == 'c' && p[1]) {
		*out = (char)(p[1] & 0x1f);
		return 2;
	}
	if (*p >= '0' && *p <= '7') {
		unsigned v = 0;

		for (i = 0; i < 3 && p[i] >= '0' && p[i] <= '7'; i++)
			v = v * 8 + (unsigned)(p[i] - '0');
		*out = (char)v;
		return i;
	}
	for (i = 0; simple[i]; i += 2)
		if (simple[i] == *p) {
			*out = simple[i + 1];
			return 1;
		}
	*out = *p;
	return 1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Words into @buf, each NUL-terminated. Returns the word count or -EINVAL. */
static int split_words(const char *s, char *buf, size_t *used, char *why, size_t why_len)
{
	char *o = buf;
	int n = 0;

	for (;;) {
		char quote = 0;

		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		while (*s && (quote || !is_blank(*s))) {
			char c = *s;

			if (c == '\\') {
				if (!s[1]) {
					snprintf(why, why_len, "a backslash ends the command line");
					return -EINVAL;
				}
				s += 1 + unescape(s + 1, o);
				if (!*o) {
					snprintf(why, why_len, "an escape makes a NUL byte");
					return -EINVAL;
				}
				o++;
			} else if (quote && c == quote) {
				quote = 0;
				s++;
			} else if (!quote && (c == '"' || c == '\'')) {
				quote = c;
				s++;
			} else {
				*o++ = c;
				s++;
			}
		}
		if (quote) {
			snprintf(why, why_len, "missing closing %c quote", quote);
			return -EINVAL;
		}
		*o++ = '\0';
		n++;
	}
	*used = (size_t)(o - buf);
	return n;
}

int script_split(const char *cmdline, char ***argv_out, char *why, size_t why_len)
{
	size_t len = strlen(cmdline), used = 0;
	char *tmp, **argv, *words;
	int n;

	*argv_out = NULL;
	tmp = malloc(len + 1);
	if (!tmp)
		return -ENOMEM;
	n = split_words(cmdline, tmp, &used, why, why_len);
	if (n == 0) {
		snprintf(why, why_len, "empty command line");
		n = -EINVAL;
	}
	if (n < 0) {
		free(tmp);
		return n;
	}
	argv = malloc(((size_t)n + 1) * sizeof(char *) + used);
	if (!argv) {
		free(tmp);
		return -ENOMEM;
	}
	words = (char *)(argv + n + 1);
	memcpy(words, tmp, used);
	free(tmp);
	for (int i = 0; i < n; i++) {
		argv[i] = words;
		words += strlen(words) + 1;
	}
	argv[n] = NULL;
	*argv_out = argv;
	return n;
}

void script_argv_free(char **argv)
{
	free(argv);
}

/* --- identity ------------------------------------------------------------ */

static int lookup_user(const char *user, uid_t *uid, gid_t *gid)
{
	char buf[4096];
	struct passwd pw, *res = NULL;
	int rc = getpwnam_r(user, &pw, buf, sizeof(buf), &res);

	if (rc || !res)
		return rc ? -rc : -ENOENT;
	*uid = pw.pw_uid;
	*gid = pw.pw_gid;
	return 0;
}

static int lookup_group(const char *group, gid_t *gid)
{
	char buf[4096];
	struct group gr, *res = NULL;
	int rc = getgrnam_r(group, &gr, buf, sizeof(buf), &res);

	if (rc || !res)
		return rc ? -rc : -ENOENT;
	*gid = gr.gr_gid;
	return 0;
}

int script_identity_resolve(const char *user, const char *group, struct script_identity *out,
			    char *why, size_t why_len)
{
	out->uid = geteuid();
	out->gid = getegid();
	if (!user) {
		/* keepalived.conf(5) script_user: keepalived_script if that
		 * user exists, otherwise the daemon's own uid/gid. */
		lookup_user(DEFAULT_SCRIPT_USER, &out->uid, &out->gid);
	} else if (lookup_user(user, &out->uid, &out->gid) < 0) {
		snprintf(why, why_len, "script user '%s' does not exist", user);
		return -ENOENT;
	}
	if (group && lookup_group(group, &out->gid) < 0) {
		snprintf(why, why_len, "script group '%s' does not exist", group);
		return -ENOENT;
	}
	return 0;
}

/* --- security ------------------------------------------------------------ */

static bool executable_by(const struct stat *st, const struct script_identity *id)
{
	if (id->uid == 0)
		return st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH);
	if (id->uid == st->st_uid)
		return st->st_mode & S_IXUSR;
	if (id->gid == st->st_gid)
		return st->st_mode & S_IXGRP;
	return st->st_mode & S_IXOTH;
}

static bool path_search(const char *name, const char *path_env, const struct script_identity *id,
			char *out, size_t out_len, bool *denied)
{
	const char *p = path_env ? path_env : DEFAULT_PATH;

	*denied = false;
	while (*p) {
		size_t dlen = strcspn(p, ":");
		struct stat st;

		if (dlen && (size_t)snprintf(out, out_len, "%.*s/%s", (int)dlen, p, name) < out_len &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
			if (executable_by(&st, id))
				return true;
			*denied = true;
		}
		p += dlen;
		if (*p == ':')
			p++;
	}
	return false;
}

static enum script_security check_component(const char *prefix, const char *path, bool last,
					    char *why, size_t why_len)
{
	struct stat st;

	if (lstat(prefix, &st) < 0) {
		snprintf(why, why_len, "cannot find '%s': %s", prefix, strerror(errno));
		return SCRIPT_NOT_FOUND;
	}
	if ((!last && !S_ISDIR(st.st_mode)) ||
	    (last && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))) {
		snprintf(why, why_len, "'%s' in script path '%s' is not a %s", prefix, path,
			 last ? "file" : "directory");
		return SCRIPT_BAD_PATH;
	}
	if (st.st_uid != 0) {
		snprintf(why, why_len, "'%s' is owned by uid %u, not root", prefix,
			 (unsigned)st.st_uid);
		return SCRIPT_INSECURE;
	}
	if ((S_ISREG(st.st_mode) || (S_ISDIR(st.st_mode) && !(st.st_mode & S_ISVTX))) &&
	    ((st.st_gid != 0 && (st.st_mode & S_IWGRP)) || (st.st_mode & S_IWOTH))) {
		snprintf(why, why_len, "'%s' is writable by %s (mode %04o)", prefix,
			 st.st_mode & S_IWOTH ? "everyone" : "a non-root group",
			 (unsigned)(st.st_mode & 07777));
		return SCRIPT_INSECURE;
	}
	return SCRIPT_SECURE;
}

/* keepalived's check_security(): from "/" down to @path, each component
 * must be root's and not writable by a non-root group or by others, except
 * a directory with the sticky bit. The last component may be a symlink
 * (its target is checked separately). */
static enum script_security check_path_components(const char *path, char *why, size_t why_len)
{
	char prefix[PATH_MAX];
	size_t len = strlen(path);
	enum script_security v;

	if (len >= sizeof(prefix) || path[0] != '/') {
		snprintf(why, why_len, "'%s' is not an absolute path", path);
		return SCRIPT_BAD_PATH;
	}
	v = check_component("/", path, len == 1, why, why_len);
	for (size_t end = 2; end <= len && v == SCRIPT_SECURE; end++) {
		if ((end < len && path[end] != '/') || path[end - 1] == '/')
			continue;
		memcpy(prefix, path, end);
		prefix[end] = '\0';
		v = check_component(prefix, path, end == len, why, why_len);
	}
	return v;
}

/* The directory part with symbolic links resolved, plus the name as given
 * (keepalived keeps the file name, since some programs behave by the name
 * they are called by). */
static int canonical_dir_path(const char *path, char *out, size_t out_len)
{
	char dir[PATH_MAX], *real;
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;

	if (dlen >= sizeof(dir))
		return -ENAMETOOLONG;
	if (!slash)
		strcpy(dir, ".");
	else if (dlen == 0)
		strcpy(dir, "/");
	else {
		memcpy(dir, path, dlen);
		dir[dlen] = '\0';
	}
	real = realpath(dir, NULL);
	if (!real)
		return -errno;
	if ((size_t)snprintf(out, out_len, "%s/%s", strcmp(real, "/") ? real : "",
			     slash ? slash + 1 : path) >= out_len) {
		free(real);
		return -ENAMETOOLONG;
	}
	free(real);
	return 0;
}

enum script_security script_security_check(const char *argv0, const struct script_identity *id,
					   const char *path_env, char *resolved,
					   size_t resolved_len, char *why, size_t why_len)
{
	char found[PATH_MAX], named[PATH_MAX], *real;
	enum script_security v;
	struct stat st;
	bool denied;

	if (why_len)
		why[0] = '\0';
	if (!strchr(argv0, '/')) {
		if (!path_search(argv0, path_env, id, found, sizeof(found), &denied)) {
			snprintf(why, why_len, "'%s' %s in PATH", argv0,
				 denied ? "is not executable by the script user" : "not found");
			return denied ? SCRIPT_NOT_EXECUTABLE : SCRIPT_NOT_FOUND;
		}
		argv0 = found;
	}
	snprintf(resolved, resolved_len, "%s", argv0);
	if (stat(argv0, &st) < 0) {
		snprintf(why, why_len, "cannot access '%s': %s", argv0, strerror(errno));
		return SCRIPT_NOT_FOUND;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_len, "'%s' is not a regular file", argv0);
		return SCRIPT_BAD_PATH;
	}
	if (!executable_by(&st, id)) {
		snprintf(why, why_len, "'%s' is not executable by uid %u gid %u", argv0,
			 (unsigned)id->uid, (unsigned)id->gid);
		return SCRIPT_NOT_EXECUTABLE;
	}
	/* Only a script that runs with root's uid or gid (or becomes root
	 * through setuid/setgid bits) needs a root-only path. */
	if (id->uid != 0 && id->gid != 0 &&
	    !(st.st_uid == 0 && (st.st_mode & S_IXUSR) && (st.st_mode & S_ISUID)) &&
	    !(st.st_gid == 0 && (st.st_mode & S_IXGRP) && (st.st_mode & S_ISGID)))
		return SCRIPT_SECURE;

	if (canonical_dir_path(argv0, named, sizeof(named)) < 0) {
		snprintf(why, why_len, "cannot resolve '%s': %s", argv0, strerror(errno));
		return SCRIPT_NOT_FOUND;
	}
	v = check_path_components(named, why, why_len);
	if (v != SCRIPT_SECURE)
		return v;
	real = realpath(argv0, NULL);
	if (!real) {
		snprintf(why, why_len, "cannot resolve '%s': %s", argv0, strerror(errno));
		return SCRIPT_NOT_FOUND;
	}
	if (strcmp(real, named))
		v = check_path_components(real, why, why_len);
	free(real);
	return v;
}

bool script_security_allows(enum script_security v, bool enable_script_security)
{
	return v == SCRIPT_SECURE || (v == SCRIPT_INSECURE && !enable_script_security);
}

const char *script_security_name(enum script_security v)
{
	switch (v) {
	case SCRIPT_SECURE:
		return "secure";
	case SCRIPT_INSECURE:
		return "insecure";
	case SCRIPT_NOT_FOUND:
		return "not found";
	case SCRIPT_NOT_EXECUTABLE:
		return "not executable";
	case SCRIPT_BAD_PATH:
		return "bad path";
	}
	return "?";
}

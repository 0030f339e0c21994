/* SMTP reply parsing for SMTP_CHECK (see smtp.h). Pure. */
#include "build-config.h"

#include <stdbool.h>
#include <string.h>

#include "checkers/smtp.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int smtp_reply_parse(const char *buf, size_t len, unsigned *code, size_t *used)
{
	size_t off = 0;

	for (;;) {
		const char *line = buf + off;
		const char *nl = memchr(line, '\n', len - off);
		size_t n;

		if (len - off >= 3 &&
		    !(is_digit(line[0]) && is_digit(line[1]) && is_digit(line[2])))
			return -1;
		if (len - off >= 4 && line[3] != ' ' && line[3] != '-' && line[3] != '\r' &&
		    line[3] != '\n')
			return -1;
		if (!nl)
			return len - off > 1024 ? -1 : 0;
		n = (size_t)(nl - line) + 1;
		if (n < 4)
			return -1;
		off += n;
		if (line[3] != '-') {
			*code = (unsigned)((line[0] - '0') * 100 + (line[1] - '0') * 10 +
					   (line[2] - '0'));
			*used = off;
			return 1;
		}
	}
}

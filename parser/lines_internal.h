/* Private to the line source (lines.c, line_files.c): its state and the
 * stack of frames lines are read from. */
#ifndef VIGIL_PARSER_LINES_INTERNAL_H
#define VIGIL_PARSER_LINES_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "parser/include.h"
#include "parser/lines.h"
#include "parser/macro.h"
#include "parser/repeat.h"

enum frame_kind {
	FRAME_FILE,   /* the files of one include, or the main input */
	FRAME_LINES,  /* the remaining lines of a multi-line definition in use */
	FRAME_REPEAT, /* a ~SEQ or ~LST */
};

struct frame {
	enum frame_kind kind;
	struct cfg_loc from; /* the include, the use of the definition, the ~SEQ */
	/* FRAME_FILE: the current file's text; FRAME_LINES: the lines */
	char *buf;
	size_t len, pos;
	/* FRAME_FILE */
	struct include_files files;
	size_t next_file;
	unsigned checks;       /* what this include adds to include_check */
	unsigned saved_checks; /* include_check when it started, restored at its end */
	const char *name;      /* the current file (arena) */
	char *dir;             /* its directory, as named */
	char *abs_dir;         /* the same, absolute: ${_PWD}; made on first use */
	unsigned line;
	dev_t dev;
	ino_t ino;
	/* FRAME_REPEAT */
	struct repeat *rep;
};

struct line_src {
	struct arena *arena;
	struct diag_list *dl;
	const struct lex_opts *opts;
	char config_id[256];
	struct macro_table *macros;
	struct frame *frames;
	size_t nframes, capframes;
	unsigned include_check;
	/* the current line and where it comes from */
	struct strbuf cur;
	struct cfg_loc loc;
	unsigned base_col, exp_col;
	size_t exp_off;
	bool from_file;
	size_t residue; /* offset of what follows a '{' or '}' cut, or 0 */
	struct macro *defining; /* a multi-line definition being read */
	unsigned long generated;
};

enum { LINE_SKIP = 0, LINE_READY = 1 };

/* line_files.c: the frame stack, and the files of the main input and of
 * each include. */
struct frame *line_src_top(struct line_src *ls);
/* A new frame located at the current line; NULL on allocation failure. */
struct frame *line_src_push_frame(struct line_src *ls, enum frame_kind kind);
void line_src_pop_frame(struct line_src *ls);
/* Open the next file of the include frame @f: 1, 0 when none is left, or -ENOMEM. */
int line_src_next_file(struct line_src *ls, struct frame *f);
/* "include PATTERN": push a frame reading the files it names. 0 or -ENOMEM. */
int line_src_push_include(struct line_src *ls, const char *pattern, unsigned checks);
/* The directory of the file being read, absolute when possible: ${_PWD}. */
const char *line_src_pwd(struct line_src *ls);

#endif

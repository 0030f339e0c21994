/* libFuzzer harness for the lexer (both stages).
 *
 * Build by hand, not in make check:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -I<builddir> \
 *     -DLINES_MAX_GENERATED=20000UL tests/fuzz/fuzz_lexer.c lib/arena.c \
 *     parser/diag.c parser/lines.c parser/line_files.c parser/macro.c \
 *     parser/repeat.c parser/include.c parser/lexer.c -o fuzz_lexer
 *   ./fuzz_lexer -max_len=4096 -timeout=10 corpus/
 *
 * The input is config text; includes resolve against the current directory,
 * so run it in an empty one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lex_opts opts = { .config_id = "main", .random_seed = 1 };
	struct diag_list dl = { .max = 64 };
	struct cfg_tree *t = NULL;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cfg_tree_parse_string("fuzz.conf", text, &opts, &dl, &t);
	cfg_tree_free(t);
	diag_list_free(&dl);
	free(text);
	return 0;
}

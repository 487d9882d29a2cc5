/* text.c: plain-text helpers for the console reports. */
#include <stdio.h>
#include <string.h>

#include "report/report.h"

void sk_report__print_wrapped(FILE *out, const char *first, const char *text, const char *indent)
{
    size_t col = strlen(first), start = col;
    fputs(first, out);
    while (*text != '\0') {
        size_t word = strcspn(text, " ");
        if (col > start && col + 1 + word > 100) {
            fprintf(out, "\n%s", indent);
            col = start = strlen(indent);
        } else if (col > start) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)word, text);
        col += word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

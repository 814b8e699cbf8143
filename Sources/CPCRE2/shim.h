// Shim for PCRE2 (8-bit code units). PCRE2's generic names are macros Swift cannot
// import, so Swift code calls the `_8` functions; the helpers below expose the few
// values that are cast macros (PCRE2_UNSET) as functions.
#ifndef ZHIBIAO_CPCRE2_SHIM_H
#define ZHIBIAO_CPCRE2_SHIM_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/// PCRE2_UNSET as an offset Swift can compare with (imports as -1 through Int).
static inline PCRE2_SIZE cpcre2_unset(void) { return PCRE2_UNSET; }
#endif

// Shim for system ICU (libicu-dev). ICU renames every C entry point with its major
// version (ubrk_open -> ubrk_open_72) through token-pasting macros Swift cannot see,
// so each call the project makes is wrapped here in a static inline function with a
// stable `cicu_` name; clang expands the macro inside it.
#ifndef ZHIBIAO_CICU_SHIM_H
#define ZHIBIAO_CICU_SHIM_H
#include <unicode/utypes.h>
#include <unicode/uversion.h>
#include <unicode/utext.h>
#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucnv_err.h>
#include <unicode/uchar.h>

/// The Sentence_Break property of `c` (a USentenceBreak value).
static inline int32_t cicu_sentenceBreak(UChar32 c) { return u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK); }

static inline const char *cicu_errorName(UErrorCode code) { return u_errorName(code); }

static inline UText *cicu_utext_openUTF8(UText *ut, const char *s, int64_t length, UErrorCode *status) {
    return utext_openUTF8(ut, s, length, status);
}
static inline UText *cicu_utext_close(UText *ut) { return utext_close(ut); }

static inline UBreakIterator *cicu_ubrk_open(UBreakIteratorType type, const char *locale, UErrorCode *status) {
    return ubrk_open(type, locale, NULL, 0, status);
}
static inline void cicu_ubrk_setUText(UBreakIterator *bi, UText *text, UErrorCode *status) { ubrk_setUText(bi, text, status); }
static inline int32_t cicu_ubrk_first(UBreakIterator *bi) { return ubrk_first(bi); }
static inline int32_t cicu_ubrk_next(UBreakIterator *bi) { return ubrk_next(bi); }
static inline int32_t cicu_ubrk_preceding(UBreakIterator *bi, int32_t offset) { return ubrk_preceding(bi, offset); }
static inline int32_t cicu_ubrk_following(UBreakIterator *bi, int32_t offset) { return ubrk_following(bi, offset); }
static inline int32_t cicu_ubrk_isBoundary(UBreakIterator *bi, int32_t offset) { return ubrk_isBoundary(bi, offset); }
static inline int32_t cicu_ubrk_getRuleStatus(UBreakIterator *bi) { return ubrk_getRuleStatus(bi); }
static inline void cicu_ubrk_close(UBreakIterator *bi) { ubrk_close(bi); }

static inline UConverter *cicu_ucnv_open(const char *name, UErrorCode *status) { return ucnv_open(name, status); }
static inline void cicu_ucnv_close(UConverter *cnv) { ucnv_close(cnv); }
static inline void cicu_ucnv_reset(UConverter *cnv) { ucnv_reset(cnv); }
/// Converts between two converters through ICU's pivot buffer; see ucnv_convertEx.
static inline void cicu_ucnv_convertEx(UConverter *target, UConverter *source,
                                       char **targetPtr, const char *targetLimit,
                                       const char **sourcePtr, const char *sourceLimit,
                                       UChar *pivotStart, UChar **pivotSource, UChar **pivotTarget,
                                       const UChar *pivotLimit, UBool reset, UBool flush,
                                       UErrorCode *status) {
    ucnv_convertEx(target, source, targetPtr, targetLimit, sourcePtr, sourceLimit,
                   pivotStart, pivotSource, pivotTarget, pivotLimit, reset, flush, status);
}

/// To-Unicode error callback that counts each invalid or unmappable sequence in the
/// int64_t pointed to by `context` and writes one U+FFFD for it (so a bad sequence never
/// becomes several characters, and line/column positions after it stay right).
static inline void cicu_countingToUCallback(const void *context, UConverterToUnicodeArgs *args,
                                            const char *codeUnits, int32_t length,
                                            UConverterCallbackReason reason, UErrorCode *status) {
    (void)codeUnits; (void)length;
    if (reason > UCNV_IRREGULAR) return;          /* reset, close, clone: nothing to do */
    *(int64_t *)context += 1;
    *status = U_ZERO_ERROR;
    static const UChar replacement = 0xFFFD;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, status);
}
/// Installs cicu_countingToUCallback on `cnv` with `counter` as its context.
static inline void cicu_ucnv_setCountingToU(UConverter *cnv, int64_t *counter, UErrorCode *status) {
    ucnv_setToUCallBack(cnv, cicu_countingToUCallback, counter, NULL, NULL, status);
}
#endif

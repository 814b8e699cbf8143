// Test-only shim for zlib's inflate: the tests unzip the .xlsx files zhibiao writes and read
// their sheet XML back. zlib is already a dependency of libxlsxwriter.
#ifndef ZHIBIAO_CZLIB_SHIM_H
#define ZHIBIAO_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro Swift cannot call; this passes the version and size it needs.
static inline int czlib_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}
#endif

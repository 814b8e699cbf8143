// Shim for libxlsxwriter (Debian: libxlsxwriter-dev), the streaming .xlsx writer behind
// `--format xlsx`. Only the Output module imports it; no C type leaves that module.
#ifndef ZHIBIAO_CXLSXWRITER_SHIM_H
#define ZHIBIAO_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif

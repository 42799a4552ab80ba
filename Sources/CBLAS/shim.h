// The standard CBLAS interface (Debian's libblas-dev; OpenBLAS provides the same symbols).
#include <cblas.h>

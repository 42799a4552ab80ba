// Debian's liblapack-dev ships no C header: declare the Fortran LAPACK routines TopicKit calls.
// Every argument is passed by pointer; CHARACTER arguments carry a hidden length (gfortran ABI)
// appended after the regular arguments.
#ifndef TOPICKIT_CLAPACK_SHIM_H
#define TOPICKIT_CLAPACK_SHIM_H
#include <stddef.h>

typedef int lapack_int;

/// QR factorisation A = QR (Householder reflectors in A and tau).
void sgeqrf_(const lapack_int *m, const lapack_int *n, float *a, const lapack_int *lda,
             float *tau, float *work, const lapack_int *lwork, lapack_int *info);

/// Forms the explicit m×n Q from sgeqrf's reflectors.
void sorgqr_(const lapack_int *m, const lapack_int *n, const lapack_int *k, float *a,
             const lapack_int *lda, const float *tau, float *work, const lapack_int *lwork,
             lapack_int *info);

/// Singular value decomposition, divide and conquer.
void sgesdd_(const char *jobz, const lapack_int *m, const lapack_int *n, float *a,
             const lapack_int *lda, float *s, float *u, const lapack_int *ldu, float *vt,
             const lapack_int *ldvt, float *work, const lapack_int *lwork, lapack_int *iwork,
             lapack_int *info, size_t jobz_len);

/// Singular value decomposition, QR iteration.
void sgesvd_(const char *jobu, const char *jobvt, const lapack_int *m, const lapack_int *n,
             float *a, const lapack_int *lda, float *s, float *u, const lapack_int *ldu,
             float *vt, const lapack_int *ldvt, float *work, const lapack_int *lwork,
             lapack_int *info, size_t jobu_len, size_t jobvt_len);

/// Eigen-decomposition of a symmetric matrix, divide and conquer.
void ssyevd_(const char *jobz, const char *uplo, const lapack_int *n, float *a,
             const lapack_int *lda, float *w, float *work, const lapack_int *lwork,
             lapack_int *iwork, const lapack_int *liwork, lapack_int *info,
             size_t jobz_len, size_t uplo_len);

/// Eigen-decomposition of a symmetric matrix, divide and conquer, in double precision.
void dsyevd_(const char *jobz, const char *uplo, const lapack_int *n, double *a,
             const lapack_int *lda, double *w, double *work, const lapack_int *lwork,
             lapack_int *iwork, const lapack_int *liwork, lapack_int *info,
             size_t jobz_len, size_t uplo_len);

/// Cholesky factorisation of a symmetric positive definite matrix.
void spotrf_(const char *uplo, const lapack_int *n, float *a, const lapack_int *lda,
             lapack_int *info, size_t uplo_len);

/// Solves A X = B with spotrf's Cholesky factor.
void spotrs_(const char *uplo, const lapack_int *n, const lapack_int *nrhs, const float *a,
             const lapack_int *lda, float *b, const lapack_int *ldb, lapack_int *info,
             size_t uplo_len);

#endif

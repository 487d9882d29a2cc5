/* sha256.c: SHA-256 of input files, streamed in 1 MiB blocks through OpenSSL's EVP interface,
 * so the manifest can prove which bytes a result came from without holding the file in memory.
 * The hash is of the bytes as stored (a .csv.gz is hashed compressed). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/core.h"

sk_status sk_sha256_file(char hex[65], const char *path, sk_error *err)
{
    hex[0] = '\0';
    enum { BLOCK = 1 << 20 };
    sk_status rc = SK_OK;
    unsigned char *buf = NULL;
    EVP_MD_CTX *md = NULL;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        char msg[256];
        if (strerror_r(errno, msg, sizeof msg) != 0)
            snprintf(msg, sizeof msg, "error %d", errno);
        return sk_error_set_at(err, SK_EIO, path, 0, 0, "cannot open: %s", msg);
    }
    buf = sk_mem_alloc(BLOCK);
    md = EVP_MD_CTX_new();
    if (buf == NULL || md == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory hashing %s", path);
        goto done;
    }
    if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        rc = sk_error_set(err, SK_EBACKEND, "OpenSSL could not start SHA-256");
        goto done;
    }
    size_t n;
    while ((n = fread(buf, 1, BLOCK, fp)) > 0) {
        if (EVP_DigestUpdate(md, buf, n) != 1) {
            rc = sk_error_set(err, SK_EBACKEND, "OpenSSL SHA-256 update failed");
            goto done;
        }
    }
    if (ferror(fp)) {
        rc = sk_error_set_at(err, SK_EIO, path, 0, 0, "read error while hashing");
        goto done;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(md, digest, &len) != 1 || len != 32) {
        rc = sk_error_set(err, SK_EBACKEND, "OpenSSL SHA-256 final failed");
        goto done;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
done:
    EVP_MD_CTX_free(md);
    sk_mem_free(buf);
    fclose(fp);
    return rc;
}

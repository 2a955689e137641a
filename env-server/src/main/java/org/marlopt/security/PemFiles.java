package org.marlopt.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * Checks the PEM files given on a command line before gRPC reads them, so a wrong file fails at
 * start with the flag that named it rather than with a TLS library's error at the first call.
 */
final class PemFiles {

    private PemFiles() {}

    /** A PEM file of one or more X.509 certificates (a chain, or trusted CAs). */
    static Path certificates(Path file, String flag) {
        readable(file, flag);
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new IllegalArgumentException(flag + " " + file + " holds no certificate; pass a PEM file "
                        + "with '-----BEGIN CERTIFICATE-----' blocks");
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(flag + " " + file + " is not a PEM certificate file (" + e.getMessage()
                    + "); pass a file with '-----BEGIN CERTIFICATE-----' blocks");
        } catch (IOException e) {
            throw unreadable(file, flag, e);
        }
        return file;
    }

    /** A PEM file of an unencrypted PKCS#8 private key ({@code openssl genpkey} writes one). */
    static Path privateKey(Path file, String flag) {
        readable(file, flag);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw unreadable(file, flag, e);
        }
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(flag + " " + file + " is not an unencrypted PKCS#8 PEM private key; "
                    + "convert it with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem`");
        }
        return file;
    }

    private static void readable(Path file, String flag) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(flag + " " + file + " is not a readable file; check the path");
        }
    }

    private static IllegalArgumentException unreadable(Path file, String flag, IOException e) {
        return new IllegalArgumentException(flag + " " + file + " cannot be read: " + e.getMessage());
    }
}

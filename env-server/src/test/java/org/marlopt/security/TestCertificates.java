package org.marlopt.security;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for TLS tests: it writes its own certificate and the
 * certificates and PKCS#8 keys it issues as PEM files into a test's temporary directory, so no
 * private key is ever committed. EC P-256 keys: generated in milliseconds.
 */
public final class TestCertificates {

    /** A certificate and its private key, as PEM files. */
    public record Issued(Path certificate, Path privateKey) {
    }

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final X500Name name;
    private final KeyPair keys;
    private final Path certificate;

    private TestCertificates(Path dir, X500Name name, KeyPair keys, Path certificate) {
        this.dir = dir;
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new self-signed CA called {@code name}, writing its files into {@code dir}. */
    public static TestCertificates authority(Path dir, String name) throws IOException {
        X500Name subject = new X500Name("CN=" + name);
        KeyPair keys = newKeys();
        JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (CertIOException e) {
            throw new IOException(e);
        }
        Path file = dir.resolve(name + "-ca.pem");
        writePem(file, sign(builder, keys.getPrivate()));
        return new TestCertificates(dir, subject, keys, file);
    }

    /** This CA's certificate: what a peer trusts. */
    public Path certificate() {
        return certificate;
    }

    /** A server certificate for "localhost" and 127.0.0.1, the addresses tests connect to. */
    public Issued server(String commonName) throws IOException {
        GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        return issue(commonName, KeyPurposeId.id_kp_serverAuth, names);
    }

    /** A client certificate whose subject is {@code CN=commonName}. */
    public Issued client(String commonName) throws IOException {
        return issue(commonName, KeyPurposeId.id_kp_clientAuth, null);
    }

    private Issued issue(String commonName, KeyPurposeId purpose, GeneralNames altNames) throws IOException {
        KeyPair leaf = newKeys();
        JcaX509v3CertificateBuilder builder = builder(name, new X500Name("CN=" + commonName), leaf);
        try {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (altNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
        } catch (CertIOException e) {
            throw new IOException(e);
        }
        Path certFile = dir.resolve(commonName + ".pem");
        Path keyFile = dir.resolve(commonName + "-key.pem");
        writePem(certFile, sign(builder, keys.getPrivate()));
        writePem(keyFile, new JcaPKCS8Generator(leaf.getPrivate(), null));
        return new Issued(certFile, keyFile);
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey) throws IOException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot sign a test certificate", e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has EC P-256", e);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }
}

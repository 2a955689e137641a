package org.marlopt.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer tokens a server accepts, each naming the principal it authenticates. Read from a
 * file of lines {@code PRINCIPAL TOKEN}; {@code #} starts a comment line, blank lines are
 * skipped. A principal may have several tokens (to rotate one without downtime); a token names
 * one principal. Only SHA-256 digests are kept, and a presented token is compared with every
 * one in constant time, so neither timing nor a heap dump gives a token away.
 */
public final class AccessTokens {

    /** Shorter tokens are refused: a guessable token is no authentication. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9._@:=,+-]+");
    /** Visible ASCII: what an HTTP/2 header value carries unchanged. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");

    private record Entry(String principal, byte[] digest) {
    }

    private final List<Entry> entries;

    private AccessTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads a token file.
     *
     * @throws IllegalArgumentException naming the file, the line and the fix when a line is
     *     malformed, a token repeats, or the file holds no token at all
     */
    public static AccessTokens read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String where = file + " line " + (i + 1) + ": ";
            if (fields.length != 2 || !PRINCIPAL.matcher(fields[0]).matches() || !TOKEN.matcher(fields[1]).matches()) {
                throw new IllegalArgumentException(where + "expected 'PRINCIPAL TOKEN' (a name of letters, digits "
                        + "and ._@:=,+-, a space, then a token of visible ASCII characters); fix or remove that line");
            }
            if (fields[1].length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(where + "the token of '" + fields[0] + "' has fewer than "
                        + MIN_TOKEN_LENGTH + " characters; use a random one, e.g. from `openssl rand -hex 32`");
            }
            if (!seen.add(fields[1])) {
                throw new IllegalArgumentException(where + "this token is already listed on an earlier line; "
                        + "each token must name a single principal, so give '" + fields[0] + "' a token of its own");
            }
            entries.add(new Entry(fields[0], sha256(fields[1])));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no token, so nobody could call the server; add lines "
                    + "'PRINCIPAL TOKEN', or start the server without --auth-tokens");
        }
        return new AccessTokens(entries);
    }

    /** The principal {@code token} authenticates, if it is one of these. */
    public Optional<String> principalOf(String token) {
        byte[] digest = sha256(token);
        String principal = null;
        for (Entry entry : entries) { // no early exit: the time taken does not depend on which token matched
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                principal = entry.principal();
            }
        }
        return Optional.ofNullable(principal);
    }

    /** How many distinct principals the tokens name. */
    public int principals() {
        return (int) entries.stream().map(Entry::principal).distinct().count();
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

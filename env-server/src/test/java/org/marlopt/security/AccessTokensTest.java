package org.marlopt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file's format, and what it refuses with the line and the fix. */
class AccessTokensTest {

    @TempDir
    Path dir;

    @Test
    void readsPrincipalsAndTokensSkippingCommentsAndBlankLines() throws Exception {
        AccessTokens tokens = AccessTokens.read(write("# trainers\n\n  alice  aaaaaaaaaaaaaaaa1 \n"
                + "alice aaaaaaaaaaaaaaaa2\nci-bot@example.org bbbbbbbbbbbbbbbb\n"));
        assertEquals(Optional.of("alice"), tokens.principalOf("aaaaaaaaaaaaaaaa1"));
        assertEquals(Optional.of("alice"), tokens.principalOf("aaaaaaaaaaaaaaaa2"));
        assertEquals(Optional.of("ci-bot@example.org"), tokens.principalOf("bbbbbbbbbbbbbbbb"));
        assertEquals(Optional.empty(), tokens.principalOf("aaaaaaaaaaaaaaaa"));
        assertEquals(2, tokens.principals());
    }

    @Test
    void refusesAMalformedLineNamingItAndTheFormat() throws Exception {
        Path file = write("alice aaaaaaaaaaaaaaaa1\nbob\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessTokens.read(file));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("PRINCIPAL TOKEN"), e.getMessage());
    }

    @Test
    void refusesShortRepeatedOrNoTokens() throws Exception {
        assertRefused("alice short\n", "fewer than 16");
        assertRefused("alice aaaaaaaaaaaaaaaa\nbob aaaaaaaaaaaaaaaa\n", "line 2");
        assertRefused("# nothing yet\n", "holds no token");
    }

    private void assertRefused(String content, String expected) throws Exception {
        Path file = write(content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessTokens.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path write(String content) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "tokens", ""), content);
    }
}
